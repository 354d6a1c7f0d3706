/** Tiny DOM builders: text goes in as text nodes, never as HTML, so no value can inject markup. */

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | null | ((event: Event) => void)>;

function fill(el: Element, attrs: Attrs, children: Child[]): void {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === "function") el.addEventListener(key.replace(/^on/, ""), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "object" ? child : String(child));
  }
}

/** An HTML element. A `style` attribute is not allowed by the page's CSP: position with `css()`. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  fill(el, attrs, children);
  return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element (geometry as attributes, which the CSP allows). */
export function s(tag: string, attrs: Attrs = {}, ...children: Child[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag) as SVGElement;
  fill(el, attrs, children);
  return el;
}

/** Sets inline style properties through the CSSOM (allowed by the CSP, unlike style attributes). */
export function css<T extends HTMLElement | SVGElement>(el: T, props: Record<string, string>): T {
  for (const [key, value] of Object.entries(props)) el.style.setProperty(key, value);
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.firstChild.remove();
}

/** A definition list row pair, skipped when the value is absent. */
export function facts(entries: [string, Child][]): HTMLDListElement {
  const dl = h("dl", { class: "facts" });
  for (const [term, value] of entries) {
    if (value === undefined || value === null || value === "" || value === false) continue;
    dl.append(h("dt", {}, term), h("dd", {}, value));
  }
  return dl;
}

/** The nodes of a list that holds some nulls (parts drawn only when there is something to show). */
export const present = (...nodes: (Node | null | undefined)[]): Node[] => nodes.filter((node): node is Node => Boolean(node));
