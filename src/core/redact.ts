/**
 * Removes secrets from text bound for logs, errors and reports:
 * passwords in URLs (postgres://user:pw@host) and values of known secret keys.
 */
export function redact(text: string, secrets: Array<string | null | undefined> = []): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@\s]+)(@)/gi, '$1***$3');
  for (const s of secrets) {
    if (s && s.length >= 3) out = out.split(s).join('***');
  }
  return out;
}
