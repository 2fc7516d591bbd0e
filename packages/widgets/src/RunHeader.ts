import { formatDuration, runDurationSeconds } from '@spyglass/charts';
import type { RunMetadata } from '@spyglass/protocol';
import type { RunSummary } from '@spyglass/store';
import { messages } from './messages.js';
import { healthBadge } from './run-health.js';

const LIVE_STATES = new Set(['running', 'preempting']);
const createdFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * A run panel's header, like the top of wandb's run page: name, state badge, duration (ticking while the run is
 * live), creation time, group and job type, row count; tags as chips and the notes below. Text only via
 * textContent.
 */
export class RunHeader {
  readonly node = document.createElement('header');
  private readonly name = document.createElement('span');
  private readonly state = document.createElement('span');
  private readonly health = document.createElement('span');
  private readonly damaged = document.createElement('span');
  private readonly facts = document.createElement('span');
  private readonly rows = document.createElement('span');
  private readonly tags = document.createElement('div');
  private readonly notes = document.createElement('p');
  private summary: RunSummary | null = null;
  private meta: RunMetadata | null = null;
  private ticker: ReturnType<typeof setInterval> | null = null;

  constructor() {
    this.node.className = 'jp-SpyglassRunPanel-header';
    const line = document.createElement('div');
    line.className = 'jp-SpyglassRunPanel-headline';
    this.name.className = 'jp-SpyglassRunPanel-name';
    this.state.className = 'jp-SpyglassRunPanel-state';
    this.health.className = 'jp-SpyglassRunPanel-degraded';
    this.health.hidden = true;
    this.damaged.className = 'jp-SpyglassRunPanel-damaged';
    this.damaged.textContent = messages.damaged;
    this.damaged.hidden = true;
    this.facts.className = 'jp-SpyglassRunPanel-facts';
    this.rows.className = 'jp-SpyglassRunPanel-rows';
    line.append(this.name, this.state, this.health, this.damaged, this.facts, this.rows);
    this.tags.className = 'jp-SpyglassRunPanel-tags';
    this.notes.className = 'jp-SpyglassRunPanel-notes';
    this.notes.title = messages.notesTitle;
    this.node.append(line, this.tags, this.notes);
  }

  /** Shows what the run's entry knows: the summary always, run.json's details once read. */
  update(summary: RunSummary, meta: RunMetadata | null): void {
    this.summary = summary;
    this.meta = meta;
    this.name.textContent = summary.name || messages.unnamedRun;
    this.name.title = `${summary.project} / ${summary.runId}`;
    this.state.textContent = summary.state ?? '';
    this.state.hidden = summary.state === null;
    this.renderHealth(summary, meta);
    this.renderTags(meta?.tags ?? []);
    this.notes.textContent = meta?.notes ?? '';
    this.notes.hidden = !meta?.notes;
    this.renderFacts();
    // Only a live run's duration changes by itself; tick once a second while it is live.
    const live = summary.state !== null && LIVE_STATES.has(summary.state);
    if (live && this.ticker === null) this.ticker = setInterval(() => this.renderFacts(), 1000);
    if (!live) this.stopTicking();
  }

  /** Marks the run as damaged (some frames of its log cannot be read), with the reason as the badge's title. */
  setDamaged(reason: string | null): void {
    this.damaged.hidden = reason === null;
    this.damaged.title = reason ?? '';
  }

  setRows(text: string): void {
    this.rows.textContent = text;
  }

  dispose(): void {
    this.stopTicking();
  }

  private stopTicking(): void {
    if (this.ticker !== null) clearInterval(this.ticker);
    this.ticker = null;
  }

  private renderHealth(summary: RunSummary, meta: RunMetadata | null): void {
    const badge = healthBadge(summary, meta);
    this.health.hidden = badge === null;
    this.health.textContent = badge?.text ?? '';
    this.health.title = badge?.title ?? '';
    if (badge) this.health.setAttribute('data-degraded', badge.reason);
    else this.health.removeAttribute('data-degraded');
  }

  private renderTags(tags: readonly string[]): void {
    const shown = [...this.tags.children].map((chip) => chip.textContent);
    if (shown.length === tags.length && shown.every((t, i) => t === tags[i])) return;
    this.tags.replaceChildren(
      ...tags.map((tag) => {
        const chip = document.createElement('span');
        chip.className = 'jp-SpyglassTag';
        chip.setAttribute('data-tag', tag);
        chip.textContent = tag;
        return chip;
      }),
    );
    this.tags.hidden = tags.length === 0;
  }

  private renderFacts(): void {
    const meta = this.meta;
    const facts: string[] = [];
    if (meta) {
      const state = this.summary?.state ?? meta.state;
      const seconds = runDurationSeconds({ ...meta, state }, Date.now() / 1000);
      if (seconds !== null) {
        const text = formatDuration(seconds);
        facts.push(
          state !== null && LIVE_STATES.has(state) ? messages.durationLive(text) : messages.duration(text),
        );
      }
      if (meta.created_at !== null)
        facts.push(messages.created(createdFormat.format(meta.created_at * 1000)));
      if (meta.group) facts.push(messages.group(meta.group));
      if (meta.job_type) facts.push(messages.jobType(meta.job_type));
    }
    const text = facts.join(' · ');
    if (this.facts.textContent !== text) this.facts.textContent = text;
    if (meta?.created_at != null) this.facts.title = new Date(meta.created_at * 1000).toISOString();
  }
}
