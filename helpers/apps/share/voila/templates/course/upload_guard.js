/* Refuse a chosen file that is over its upload's size limit before the
   browser reads it.

   ipywidgets' FileUpload reads the whole file in the page and sends it to the
   kernel through the websocket; the kernel can only then say it is too large,
   after a phone and the classroom network spent minutes on a wrong 50 MB
   file. Uploads made by helpers.ui.uploads.limited_upload carry the kernel's
   own limit as the class course-upload-limit-<bytes> on their button, so
   there is one number, and the kernel still checks it as the second line.

   FileUpload keeps its <input type=file> off the page, so a listener on the
   document never sees its change event. The button opens the input with
   input.click() while its own click is being dispatched; at that moment the
   guard adds a capture-phase change listener to the input, which runs before
   the widget's own (non-capture) listener and stops the event: nothing is
   read, nothing is sent. The refusal is shown under the button's row, never
   with window.alert: WeChat's browser blocks dialogs. */
(function () {
  const LIMIT = /(?:^|\s)course-upload-limit-(\d+)(?:\s|$)/;
  const MB = 1024 * 1024;
  let clicked = null; // the upload button whose click is being dispatched

  document.addEventListener("click", function (event) {
    clicked = event.target instanceof Element ? event.target.closest(".widget-upload") : null;
  }, true);
  window.addEventListener("click", function () { clicked = null; });

  function clearRefusal(button) {
    if (button.courseRefusal) {
      button.courseRefusal.remove();
      button.courseRefusal = null;
    }
  }

  function showRefusal(button, text) {
    clearRefusal(button);
    const note = document.createElement("div");
    note.className = "course-upload-refused";
    note.setAttribute("role", "alert");
    note.style.cssText = "color:#8b1a1a;background:#fdeeee;border-left:4px solid #8b1a1a;padding:8px 12px;"
      + "margin:6px 0;border-radius:4px;text-align:left;overflow-wrap:anywhere";
    note.textContent = text; // text, not HTML: the file name is the trainee's
    const row = button.parentElement || button;
    row.insertAdjacentElement("afterend", note);
    button.courseRefusal = note;
  }

  function guard(input, button, limit) {
    input.addEventListener("change", function (event) {
      clearRefusal(button);
      const file = Array.from(input.files || []).find(function (f) { return f.size > limit; });
      if (!file) return;
      event.stopImmediatePropagation();
      input.value = "";
      showRefusal(button, "文件“" + file.name + "”有 " + (file.size / MB).toFixed(1) + " MB，超过 "
        + Math.floor(limit / MB) + " MB 的上限，没有上传。请检查是否选错了文件。");
    }, true);
  }

  const openChooser = HTMLInputElement.prototype.click;
  HTMLInputElement.prototype.click = function () {
    const match = clicked && LIMIT.exec(clicked.className);
    if (this.type === "file" && match && !this.courseGuarded) {
      this.courseGuarded = true;
      guard(this, clicked, Number(match[1]));
    }
    return openChooser.apply(this, arguments);
  };
})();
