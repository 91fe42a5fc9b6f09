/**
 * The page at `/`: a header with the views, a message line and the place a view draws into. It
 * loads the stylesheet and one module from `base`; it holds no script of its own.
 */
export function shell(base: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>opsdojo</title>
<link rel="stylesheet" href="${base}/style.css">
<script type="module" src="${base}/main.js"></script>
</head>
<body>
<header>
<h1><a href="#/">opsdojo</a></h1>
<nav aria-label="views">
<a href="#/" data-view="services">Services</a>
<a href="#/runs" data-view="runs">Runs</a>
<a href="#/sessions" data-view="sessions">Game days</a>
<a href="#/models" data-view="models">Process models</a>
<a href="#/wall" data-view="wall">Wall</a>
</nav>
<nav aria-label="reference" class="reference"><a href="/docs">API reference</a></nav>
<span id="updated" aria-live="off"></span>
</header>
<p id="msg" role="status" aria-live="polite"></p>
<main id="view"></main>
</body>
</html>
`;
}
