// Build the portal's static files into build/assets/: the stylesheet
// (govuk-frontend compiled with sass), the scripts (bundled with esbuild),
// each under a name that carries its content's hash so that it can be
// cached for a year, and manifest.json mapping each logical name to it.
// The page bodies (assets/pages/*.html) are copied as they are: the
// module reads them at start and never serves them under /assets/.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync, copyFileSync }
    from 'node:fs';
import * as esbuild from 'esbuild';
import * as sass from 'sass';

const out = 'build/assets';
const manifest = {};

function put(logical, ext, data) {
	const hash = createHash('sha256').update(data).digest('hex')
	    .slice(0, 16);
	const name = `${logical}-${hash}.${ext}`;
	writeFileSync(`${out}/${name}`, data);
	manifest[`${logical}.${ext}`] = name;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/pages`, { recursive: true });

const css = sass.compile('assets/scss/portal.scss', {
	loadPaths: ['node_modules'],
	style: 'compressed',
	quietDeps: true,
	silenceDeprecations: ['import'],
});
put('portal', 'css', css.css);

for (const entry of ['portal', 'pow-worker']) {
	const r = await esbuild.build({
		entryPoints: [`assets/js/${entry}.js`],
		bundle: true,
		minify: true,
		format: 'iife',
		target: ['chrome100', 'firefox100', 'safari15'],
		write: false,
		legalComments: 'none',
	});
	put(entry, 'js', r.outputFiles[0].contents);
}

for (const f of readdirSync('assets/pages')) {
	if (f.endsWith('.html'))
		copyFileSync(`assets/pages/${f}`, `${out}/pages/${f}`);
}
writeFileSync(`${out}/manifest.json`,
    JSON.stringify(manifest, null, 1) + '\n');
