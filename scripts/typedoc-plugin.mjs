// TypeDoc plugin of `npm run docs` (typedoc.json: "plugin"). The guides (docs/*.md) and READMEs are
// written for GitHub; this makes the same files work as pages of the generated site:
// - a link to a package README (README.md → packages/core/README.md) goes to that package's
//   module page, which shows the README ({@include} in each src/index.ts);
// - a link to a folder or to a source file of the repository (../examples/demo-operator/,
//   examples/errorPolicy.ts) goes to that path on GitHub instead of a raw copy in media/ (or a
//   dead link for folders); images and other guides keep TypeDoc's own handling;
// - a guide is named by its `# Title` in the navigation, not by its file name;
// - headings get GitHub's anchors: TypeDoc's drop inline code (`## \`classify\`: the one place`
//   became `#-the-one-place`), so the guides' cross-links to such headings did not resolve.
// It warns about a relative link that points nowhere (TypeDoc's validation.invalidPath, which is
// off in typedoc.json because it also reported the folders handled here).
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application, Converter, ReflectionKind } from 'typedoc';

const root = fileURLToPath(new URL('..', import.meta.url));
const GITHUB = 'https://github.com/kube-rx/kube-rx';
const IMAGE = /\.(svg|png|jpe?g|gif|webp)$/i;

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.on(Application.EVENT_BOOTSTRAP_END, () => {
    const previous = app.options.getValue('markdownItLoader');
    app.options.setValue('markdownItLoader', (parser) => {
      previous?.(parser);
      parser.core.ruler.push('kube_rx_heading_code', headingCodeAsText);
    });
  });

  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const { project } = context;
    for (const module of project.getReflectionsByKind(ReflectionKind.Module)) {
      const name = /^@kube-rx\/(.+)$/.exec(module.name)?.[1];
      const readme = name && join(root, 'packages', name, 'README.md');
      if (readme && existsSync(readme)) {
        project.files.registerReflectionPath(readme.split(sep).join('/'), module);
      }
    }
    const sources = [];
    if (project.readme) sources.push({ parts: project.readme, file: join(root, 'README.md') });
    for (const document of project.getReflectionsByKind(ReflectionKind.Document)) {
      const file = project.files.getReflectionPath(document);
      if (file) sources.push({ parts: document.content, file });
      // Named by its title (`# Error handling and backoff`) rather than its file name.
      if (document.frontmatter.title === undefined) {
        const text = document.content.map((part) => part.text).join('');
        const title = /^# (.+)$/m.exec(text)?.[1]?.trim();
        if (title) document.name = title;
      }
    }
    for (const { parts, file } of sources) {
      for (const [index, part] of parts.entries()) {
        if (part.kind !== 'relative-link') continue;
        const target =
          typeof part.target === 'number' ? project.files.resolve(part.target, project) : undefined;
        if (typeof target === 'object') continue; // a page of the site
        if (typeof target === 'string' && IMAGE.test(target)) continue; // copied to media/
        const absolute = target ?? resolve(dirname(file), part.text.replace(/#.*$/, ''));
        const inRepository = relative(root, absolute);
        if (inRepository.startsWith('..') || !existsSync(absolute)) {
          app.logger.warn(`${relative(root, file)} links to ${part.text}, which does not exist`);
          continue;
        }
        const kind = statSync(absolute).isDirectory() ? 'tree' : 'blob';
        const anchor = part.targetAnchor ? `#${part.targetAnchor}` : '';
        parts[index] = {
          kind: 'text',
          text: `${GITHUB}/${kind}/main/${inRepository.split(sep).join('/')}${anchor}`,
        };
      }
    }
  });
}

// markdown-it core rule: inline code in a heading becomes <code> + text + </code>, which renders
// the same, but TypeDoc's slugger (which reads only text tokens) now sees the code too.
function headingCodeAsText(state) {
  const tokens = state.tokens;
  for (let index = 0; index + 1 < tokens.length; index++) {
    if (tokens[index].type !== 'heading_open') continue;
    const inline = tokens[index + 1];
    if (!inline.children?.some((child) => child.type === 'code_inline')) continue;
    inline.children = inline.children.flatMap((child) => {
      if (child.type !== 'code_inline') return [child];
      const open = new state.Token('html_inline', '', 0);
      open.content = '<code>';
      const text = new state.Token('text', '', 0);
      text.content = child.content;
      const close = new state.Token('html_inline', '', 0);
      close.content = '</code>';
      return [open, text, close];
    });
  }
}
