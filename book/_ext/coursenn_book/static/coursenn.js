/* coursenn: mark wide tables that scroll sideways, so the page shows a cue (coursenn.css). */
(function () {
  "use strict";
  const mark = () => {
    document.querySelectorAll(".pst-scrollable-table-container").forEach((box) => {
      const wide = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("cnn-scrolls", wide);
      box.classList.toggle("cnn-scrolled-end", wide && box.scrollLeft + box.clientWidth >= box.scrollWidth - 1);
    });
  };
  document.addEventListener("DOMContentLoaded", () => {
    mark();
    window.addEventListener("resize", mark);
    document.querySelectorAll(".pst-scrollable-table-container").forEach((box) =>
      box.addEventListener("scroll", mark, { passive: true })
    );
  });
})();

/* coursenn: notebook downloads (student_download.py).
   The notebook entries of the header's download menu save the file under its own name.
   On the offline site (file://) the browser ignores `download` and would show the JSON as
   text, so a student-notebook link there loads the notebook's script copy (NAME.ipynb.js,
   which fills window.coursennNotebooks) and saves that text through a blob: URL. */
(function () {
  "use strict";
  const STUDENT_LINKS = "a.coursenn-student-notebook, a.btn-download-student-notebook-button";

  const saveText = (text, name) => {
    const url = URL.createObjectURL(new Blob([text], { type: "application/x-ipynb+json" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };

  const saveOffline = (event) => {
    const link = event.currentTarget;
    const name = link.getAttribute("download");
    const held = () => (window.coursennNotebooks || {})[name];
    // without a copy (script missing), show the file itself as the theme's link would
    const save = () => (held() === undefined ? window.open(link.href, "_blank") : saveText(held(), name));
    event.preventDefault();
    if (held() !== undefined) {
      save();
      return;
    }
    const script = document.createElement("script");
    script.src = `${link.getAttribute("href")}.js`;
    script.onload = save;
    script.onerror = save;
    document.head.append(script);
  };

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll('.dropdown-download-buttons a[href$=".ipynb"]').forEach((link) => {
      link.setAttribute("download", link.getAttribute("href").split("/").pop());
    });
    if (window.location.protocol === "file:") {
      document.querySelectorAll(STUDENT_LINKS).forEach((link) => link.addEventListener("click", saveOffline));
    }
  });
})();
