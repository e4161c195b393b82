// Applies the remembered theme (or the system's) before the first paint, so the page never flashes.
(function () {
  var dark = false;
  try {
    var t = localStorage.getItem('solo.theme');
    dark = t ? t === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  } catch (e) { /* storage blocked: light */ }
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
})();
