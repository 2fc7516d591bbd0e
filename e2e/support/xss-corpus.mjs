// The XSS corpus the torture and trace tests put through every untrusted field.

/** Payloads that set window.__xss if any of them ever runs. */
export const XSS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  '"><svg onload="window.__xss=1">',
  "'-window.__xss=1-'",
  'javascript:window.__xss=1',
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  '<details open ontoggle="window.__xss=1">',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=1">',
  '{{constructor.constructor("window.__xss=1")()}}',
  '</title></style></textarea><script>window.__xss=1</script>',
];
