// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MarkdownText, MessageText } from './message-text';

afterEach(cleanup);

describe('MarkdownText', () => {
  it('renders GitHub-flavoured Markdown: emphasis, lists, tables, inline code and code blocks', () => {
    const text = [
      'Done. I **wrote** `notes.txt`:',
      '',
      '- one',
      '- [x] two',
      '',
      '| file | size |',
      '| --- | --- |',
      '| notes.txt | 2 |',
      '',
      '```ts',
      'const answer = 42;',
      '```',
    ].join('\n');
    const { container } = render(<MarkdownText text={text} />);
    expect(screen.getByText('wrote').tagName).toBe('STRONG');
    expect(screen.getByText('notes.txt', { selector: 'code' }).closest('pre')).toBeNull();
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
    expect(screen.getByRole('checkbox')).toBeTruthy();
    expect(screen.getByRole('table').textContent).toContain('notes.txt');
    const block = container.querySelector('pre > code')!;
    expect(block.textContent).toBe('const answer = 42;\n');
    expect(block.className).toContain('language-ts');
  });

  it('opens links in a new tab without giving it this page, and defuses script links and images', () => {
    render(<MarkdownText text={'See [the docs](https://example.com/docs), [this](javascript:alert(1)) and ![a chart](https://tracker.example/pixel.png)'} />);
    const docs = screen.getByRole('link', { name: 'the docs' });
    expect(docs.getAttribute('href')).toBe('https://example.com/docs');
    expect(docs.getAttribute('target')).toBe('_blank');
    expect(docs.getAttribute('rel')).toBe('noopener noreferrer');
    // react-markdown's URL filter empties a `javascript:` target.
    const defused = screen.getByText('this').closest('a');
    expect(defused).not.toBeNull();
    expect(defused?.getAttribute('href') ?? '').not.toContain('javascript');
    // An image is a link to it, never fetched by the page.
    expect(screen.queryByRole('img')).toBeNull();
    expect(screen.getByRole('link', { name: 'a chart' }).getAttribute('href')).toBe('https://tracker.example/pixel.png');
  });

  it('drops raw HTML instead of rendering it', () => {
    const { container } = render(<MarkdownText text={'before <img src=x onerror="alert(1)"> <b>bold?</b>\n\n<script>alert(2)</script>\n\nafter'} />);
    expect(container.querySelector('img, script, b')).toBeNull();
    expect(container.textContent).toContain('before');
    expect(container.textContent).toContain('after');
    expect(container.innerHTML).not.toContain('onerror');
  });
});

describe('MessageText', () => {
  it('keeps what people type as plain text', () => {
    render(<MessageText text={'**not bold** <b>nor this</b>'} />);
    expect(screen.getByText('**not bold** <b>nor this</b>')).toBeTruthy();
  });
});
