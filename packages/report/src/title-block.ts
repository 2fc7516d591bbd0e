import { formatNumber } from '@spyglass/charts';
import { messages } from './messages.js';
import type { TitleBlock } from './report-data.js';

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** Title, authors and date (from notebook metadata only), projects, and each run with its config. */
export function renderTitleBlock(title: TitleBlock): HTMLElement {
  const header = element('header', undefined, 'sg-title');
  header.append(element('h1', title.title));
  const byline = [
    title.authors.length ? messages.by(title.authors) : null,
    title.date,
    title.projects.length ? messages.project(title.projects) : null,
  ].filter((part): part is string => part !== null);
  if (byline.length) header.append(element('p', byline.join(' · '), 'sg-byline'));
  if (title.runs.length) {
    const details = element('details', undefined, 'sg-runs');
    details.append(element('summary', `${messages.runs} (${title.runs.length})`));
    const list = element('ul');
    for (const run of title.runs) {
      const item = element('li');
      item.append(
        element('strong', run.name),
        element('span', ` ${run.project}/${run.id} · ${run.state}`, 'sg-dim'),
      );
      const entries = Object.entries(run.config);
      item.append(
        element(
          'code',
          entries.length
            ? entries
                .map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v) : JSON.stringify(v)}`)
                .join('  ')
            : messages.noConfig,
          'sg-config',
        ),
      );
      list.append(item);
    }
    details.append(list);
    header.append(details);
  }
  return header;
}

/** Gives every h1–h3 of `content` a stable id and returns a nested-by-indent list of links to them. */
export function renderContents(content: HTMLElement): HTMLElement | null {
  const headings = [...content.querySelectorAll<HTMLHeadingElement>('h1, h2, h3')];
  if (headings.length === 0) return null;
  const nav = element('nav', undefined, 'sg-toc');
  nav.setAttribute('aria-label', messages.contents);
  nav.append(element('h2', messages.contents));
  const list = element('ol');
  headings.forEach((heading, index) => {
    heading.id = `section-${index + 1}`;
    const item = element('li', undefined, `sg-toc-${heading.tagName.toLowerCase()}`);
    const link = element('a', heading.textContent ?? '');
    link.href = `#${heading.id}`;
    item.append(link);
    list.append(item);
  });
  nav.append(list);
  return nav;
}
