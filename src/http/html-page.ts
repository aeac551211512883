/** A minimal HTML page for links opened from an email. No scripts, styles or external resources. */
export function htmlPage(status: number, title: string, message: string): Response {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${Bun.escapeHTML(title)}</title></head>
<body><main><h1>${Bun.escapeHTML(title)}</h1><p>${Bun.escapeHTML(message)}</p></main></body></html>
`;
  return new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8" } });
}
