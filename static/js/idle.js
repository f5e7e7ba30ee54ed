// Automatic logoff in the browser too: after the server's idle timeout with no activity, leave
// the page (the server session has expired by then) so PII does not stay on an unattended screen.
(function () {
  const body = document.body;
  const seconds = parseInt(body.dataset.idleTimeout || "0", 10);
  if (!seconds) return;
  let last = Date.now();
  ["click", "keydown", "scroll", "mousemove", "touchstart"].forEach((name) =>
    window.addEventListener(name, () => { last = Date.now(); }, { passive: true })
  );
  setInterval(() => {
    if (Date.now() - last > seconds * 1000) window.location.href = body.dataset.logoutUrl;
  }, 15000);
})();
