// Runs awesome-lint (its package folder is argv[2]) on one file (argv[3]) and prints its messages
// as JSON, each classed as error or warning the way awesome-lint's own report classes them.
//
// Everything awesome-lint checks runs except its `awesome-github` rule, which needs the list's
// git remote on GitHub and then asks GitHub's API for the repository's description, topics and
// licence: facts about where a list is hosted, not about the list. (Its `git-repo-age` rule is
// disabled upstream; `contributing` and `code-of-conduct` read the files beside the list.)
import path from 'node:path';
import {pathToFileURL} from 'node:url';

const [packageDir, file] = process.argv.slice(2);
const load = async relative => import(pathToFileURL(path.join(packageDir, relative)).href);
const {default: lint} = await load('index.js');
const {createConfig} = await load('config.js');
const {default: rules} = await load('rules/index.js');
const {default: githubRule} = await load('rules/github.js');

const ruleOf = plugin => (Array.isArray(plugin) ? plugin[0] : plugin);
const kept = rules.filter(plugin => ruleOf(plugin) !== githubRule);
if (kept.length !== rules.length - 1) {
	throw new Error('awesome-lint changed: its github rule was not found among its rules');
}

const config = createConfig(kept);
const idOf = plugin => ruleOf(plugin)?.name?.replace(/^remark-lint:/, '');
const direct = new Set(config.map(plugin => idOf(plugin)).filter(Boolean));
const warnOnly = new Set(config.filter(p => Array.isArray(p) && Array.isArray(p[1]) && p[1][0] === 'warn')
	.map(plugin => idOf(plugin)));
// As awesome-lint's report: fatal is an error; an explicit 'warn' rule or a rule that only a
// preset brought in is a warning; anything else from a configured rule is an error.
const severity = message => {
	if (message.fatal === true) {
		return 'error';
	}

	if (warnOnly.has(message.ruleId) || (message.fatal === false && !direct.has(message.ruleId))) {
		return 'warning';
	}

	return 'error';
};

const vfiles = await lint({filename: file, config});
const messages = vfiles.flatMap(vfile => vfile.messages.map(message => ({
	file: path.basename(vfile.path),
	line: message.line ?? null,
	rule: message.ruleId,
	severity: severity(message),
	message: message.reason,
})));
console.log(JSON.stringify({skipped: ['awesome-github'], messages}));
