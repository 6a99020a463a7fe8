/* When the page loses its kernel, say so in Chinese and offer a reload.

   A Voila page is alive only while its kernel is: if the kernel dies (killed,
   out of memory) Jupyter starts a fresh one that never ran the notebook, and
   if the server goes away the websocket drops; either way the buttons silently
   stop answering. Voila 0.5 keeps the page's kernel connection at
   window.jupyterapp.widgetManager.kernel (set once its widget manager plugin
   has started), a @jupyterlab/services KernelConnection whose statusChanged
   and connectionStatusChanged signals report both cases. A lost connection is
   shown only if it lasts a moment, since the connection reconnects by itself
   after a short network blip. A banner, never window.alert: WeChat's browser
   blocks dialogs. Answers are saved before their feedback is shown, hence the
   reassurance. */
(function () {
  const MESSAGE = "连接已中断，请刷新页面继续；你已提交的答案都已保存。";
  const KERNEL_GONE = new Set(["dead", "restarting", "autorestarting", "terminating"]);
  const CONNECTION_GRACE_MS = 2000;
  let leaving = false;
  window.addEventListener("beforeunload", function () { leaving = true; });

  function show() {
    if (leaving || document.getElementById("course-connection-lost")) return;
    const banner = document.createElement("div");
    banner.id = "course-connection-lost";
    banner.setAttribute("role", "alert");
    banner.style.cssText = "position:fixed;top:0;left:0;right:0;z-index:10000;padding:12px 16px;"
      + "background:#fdeeee;color:#8b1a1a;border-bottom:3px solid #8b1a1a;font-size:17px;"
      + "text-align:center;box-shadow:0 2px 6px rgba(0,0,0,.2)";
    const text = document.createElement("span");
    text.textContent = MESSAGE;
    const reload = document.createElement("button");
    reload.type = "button";
    reload.textContent = "刷新页面";
    reload.style.cssText = "margin-left:12px;padding:6px 16px;border:0;border-radius:6px;"
      + "background:#a0281e;color:#fff;font-size:16px";
    reload.addEventListener("click", function () { window.location.reload(); });
    banner.append(text, reload);
    document.body.prepend(banner);
  }

  function hide() {
    const banner = document.getElementById("course-connection-lost");
    if (banner) banner.remove();
  }

  function watch(kernel) {
    let kernelGone = false;
    let pending = null;
    kernel.statusChanged.connect(function (_, status) {
      if (KERNEL_GONE.has(status)) {
        kernelGone = true;
        show();
      }
    });
    kernel.connectionStatusChanged.connect(function (_, status) {
      clearTimeout(pending);
      if (status === "connected") {
        if (!kernelGone) hide();
      } else {
        pending = setTimeout(show, CONNECTION_GRACE_MS);
      }
    });
  }

  const waiting = setInterval(function () {
    const manager = window.jupyterapp && window.jupyterapp.widgetManager;
    if (manager && manager.kernel) {
      clearInterval(waiting);
      watch(manager.kernel);
    }
  }, 250);
})();
