/* coursenn: readable search-result snippets (loaded on the search page only).
 *
 * Sphinx builds each snippet from the result page's raw text: formulas appear as TeX
 * source ("\(\gamma \ne 1\)"), code cells and outputs as noise, and a hit found only in a
 * title starts the snippet at the page's first characters. Here a snippet is the prose
 * paragraph that holds the first hit (or the section's first paragraph), with every
 * formula turned into plain symbols.
 */
(function () {
  "use strict";
  if (typeof Search === "undefined") return;

  const SYMBOLS = {
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", varepsilon: "ε",
    zeta: "ζ", eta: "η", theta: "θ", lambda: "λ", mu: "μ", nu: "ν", xi: "ξ", pi: "π",
    rho: "ρ", sigma: "σ", tau: "τ", phi: "φ", varphi: "φ", chi: "χ", psi: "ψ",
    omega: "ω", Gamma: "Γ", Delta: "Δ", Theta: "Θ", Lambda: "Λ", Sigma: "Σ", Phi: "Φ",
    Omega: "Ω", ne: "≠", neq: "≠", le: "≤", leq: "≤", ge: "≥", geq: "≥", approx: "≈",
    times: "×", cdot: "·", cdots: "⋯", ldots: "…", dots: "…", infty: "∞", to: "→",
    rightarrow: "→", leftarrow: "←", Rightarrow: "⇒", sum: "∑", prod: "∏",
    partial: "∂", nabla: "∇", in: "∈", pm: "±", mp: "∓", sqrt: "√", top: "ᵀ",
    int: "∫", max: "max", min: "min", log: "log", ln: "ln", exp: "exp", tanh: "tanh",
    mathbb: "", mathbf: "", mathrm: "", boldsymbol: "", hat: "", tilde: "", bar: "",
    operatorname: "", text: "", left: "", right: "", big: "", Big: "", bigl: "",
    bigr: "", quad: " ", qquad: " ",
  };

  const texToText = (tex) =>
    tex
      .replace(/^\\\(|\\\)$|^\\\[|\\\]$|^\$+|\$+$/g, "")
      .replace(/\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, "($1)/($2)")
      .replace(/\\([A-Za-z]+)\s*/g, (m, name) => (name in SYMBOLS ? SYMBOLS[name] : ""))
      .replace(/\\[,;:! ]/g, " ")
      .replace(/[{}]/g, "")
      .replace(/\s+/g, " ")
      .trim();

  const DROP = [
    ".headerlink", "script", "style", "nav", ".cell_input", ".cell_output", "div.highlight",
    "pre", ".cnn-scrubber", ".coursenn-check-note", ".toctree-wrapper", "footer",
  ].join(",");
  const BLOCKS = "p, li, dt, dd, td, th, h1, h2, h3, h4, h5, h6, div.math, .admonition-title";

  // The readable text of a page part: one string per prose block.
  const blocksOf = (root) => {
    root.querySelectorAll(DROP).forEach((el) => el.remove());
    root.querySelectorAll("span.math, div.math").forEach((m) => {
      m.textContent = " " + texToText(m.textContent) + " ";
    });
    return [...root.querySelectorAll(BLOCKS)]
      .filter((el) => !el.querySelector(BLOCKS))
      .map((el) => el.textContent.replace(/\s+/g, " ").trim())
      .filter((t) => t);
  };

  const partOf = (htmlString, anchor) => {
    const doc = new DOMParser().parseFromString(htmlString, "text/html");
    const main = doc.querySelector('[role="main"]');
    if (!main) return null;
    return (anchor && main.querySelector(anchor)) || main;
  };

  Search.htmlToText = (htmlString, anchor) => {
    const part = partOf(htmlString, anchor);
    return part ? blocksOf(part).join(" ") : "";
  };

  Search.makeSearchSummary = (htmlText, keywords, anchor) => {
    const part = partOf(htmlText, anchor);
    if (!part) return null;
    const blocks = blocksOf(part);
    if (!blocks.length) return null;
    const words = [...keywords].map((k) => k.toLowerCase());
    const prose = blocks.filter((b) => b.length > 20);
    const hit = blocks.find((b) => words.some((w) => b.toLowerCase().includes(w)));
    const text = hit || prose[0] || blocks[0];
    const lower = text.toLowerCase();
    const at = Math.min(...words.map((w) => lower.indexOf(w)).filter((i) => i >= 0), text.length);
    const start = hit && at > 100 ? at - 60 : 0;
    const summary = document.createElement("p");
    summary.classList.add("context");
    summary.textContent =
      (start > 0 ? "…" : "") + text.substr(start, 200).trim() + (start + 200 < text.length ? "…" : "");
    return summary;
  };
})();
