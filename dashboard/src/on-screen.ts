/**
 * Which panels the reader sees first, and when the others are needed: a panel in the viewport loads
 * at once; one further down loads when it comes near the viewport (scrolled to) or once the first
 * screen has its data, whichever is first — so the first screen's requests do not queue behind
 * (or share the service's analysis slots with) panels nobody is looking at yet.
 *
 * Both use IntersectionObserver, which answers once the page has been laid out anyway: asking
 * getBoundingClientRect() instead would force that layout (a few hundred ms for the first one on a
 * busy machine) before any request could leave.
 */

/** The elements inside the viewport, once the page has been laid out. */
export function inViewport(elements: readonly HTMLElement[]): Promise<Set<HTMLElement>> {
  if (elements.length === 0) return Promise.resolve(new Set());
  // A tab in the background lays nothing out (the observer would not answer until it is shown): all of them.
  if (typeof IntersectionObserver !== 'function' || document.visibilityState === 'hidden') return Promise.resolve(new Set(elements));
  return new Promise((resolve) => {
    const inside = new Set<HTMLElement>();
    const unseen = new Set<Element>(elements);
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        unseen.delete(entry.target);
        if (entry.isIntersecting) inside.add(entry.target as HTMLElement);
      }
      if (unseen.size === 0) {
        observer.disconnect();
        resolve(inside);
      }
    });
    for (const element of elements) observer.observe(element);
  });
}

/** How far below the viewport a panel starts loading while the reader scrolls towards it. */
const AHEAD_PX = 300;

/** Resolves when `element` comes within AHEAD_PX of the viewport, or when `meanwhile` settles. */
export function whenNeeded(element: HTMLElement, meanwhile: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    let observer: IntersectionObserver | null = null;
    let done = false;
    const go = () => {
      if (done) return;
      done = true;
      observer?.disconnect();
      resolve();
    };
    if (typeof IntersectionObserver === 'function') {
      observer = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) go();
      }, { rootMargin: `0px 0px ${AHEAD_PX}px 0px` });
      observer.observe(element);
    }
    void meanwhile.then(go, go);
  });
}
