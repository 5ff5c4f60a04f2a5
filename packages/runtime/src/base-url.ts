/** The URL relative model URLs resolve against in a browser: the page's base URI, a worker's location, else localhost. */
export function baseUrl(): string {
  const doc = (globalThis as { document?: { baseURI?: string } }).document;
  return doc?.baseURI ?? (globalThis as { location?: { href?: string } }).location?.href ?? 'http://localhost/';
}
