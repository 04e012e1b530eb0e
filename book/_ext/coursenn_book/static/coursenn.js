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
