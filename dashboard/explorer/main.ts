/**
 * The API explorer served at GET /graphql to browsers: GraphiQL, bundled at build time so that it
 * works on an intranet with no route to a CDN. Credentials go in its Headers tab
 * (`{"Authorization": "Bearer dg_…"}`); the dashboard's saved token is offered there.
 */
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/graphiql.css';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

const EXAMPLE = `# 例：一个街道 2020 年的报告 / Example: one office's 2020 report
{
  report(officeCode: "weihai-huancui-jingyuan", year: 2020) {
    title
    office { name ancestors { name } }
    metrics(keys: ["proactive.items_total", "applications.received.total"]) { key value }
    findings { code message }
  }
}
`;

// The dashboard keeps the analyst's token here (dashboard/src/state.ts); offer it, never send it elsewhere.
const savedToken = window.localStorage.getItem('disclosure-graph.token');
const fetcher = createGraphiQLFetcher({ url: `${window.location.origin}/graphql` });

createRoot(document.getElementById('explorer')!).render(
  createElement(GraphiQL, {
    fetcher,
    defaultQuery: EXAMPLE,
    defaultHeaders: savedToken ? JSON.stringify({ Authorization: `Bearer ${savedToken}` }, null, 2) : undefined,
    shouldPersistHeaders: false,
  }),
);
