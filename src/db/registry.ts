import { InitialSchema1764036000000 } from '../../migrations/1764036000000-InitialSchema';
import { ReportRevisions1764036100000 } from '../../migrations/1764036100000-ReportRevisions';
import { AccessControl1764036200000 } from '../../migrations/1764036200000-AccessControl';
import { CoveringMetricIndex1764036300000 } from '../../migrations/1764036300000-CoveringMetricIndex';
import { Provenance1764036413000 } from '../../migrations/1764036413000-Provenance';
import { OfficeAliases1764036500000 } from '../../migrations/1764036500000-OfficeAliases';
import { Review1764036600000 } from '../../migrations/1764036600000-Review';
import { AuditEntry } from '../audit/audit-entry.entity';
import { ApiToken } from '../auth/api-token.entity';
import { ChannelActivity, DisclosureChannel } from '../channels/disclosure-channel.entity';
import { MetricValue } from '../metrics/metric-value.entity';
import { OfficeAlias } from '../offices/office-alias.entity';
import { Office } from '../offices/office.entity';
import { AnnualReport } from '../reports/annual-report.entity';
import { Finding } from '../reports/finding.entity';
import { ReportRevision, ReportRevisionChunk } from '../reports/report-revision.entity';
import { MetricCorrection, TableAcceptance } from '../review/metric-correction.entity';
import { ReportingYear } from '../years/reporting-year.entity';

/** Every entity and migration, listed as classes so the same list works from sources and build. */
export const ENTITIES = [Office, ReportingYear, AnnualReport, MetricValue, Finding, DisclosureChannel, ChannelActivity, ReportRevision, ReportRevisionChunk, ApiToken, AuditEntry, OfficeAlias, MetricCorrection, TableAcceptance];

export const MIGRATIONS = [InitialSchema1764036000000, ReportRevisions1764036100000, AccessControl1764036200000, CoveringMetricIndex1764036300000, Provenance1764036413000, OfficeAliases1764036500000, Review1764036600000];
