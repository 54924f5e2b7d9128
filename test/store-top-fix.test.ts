// The image list's top finding (`a`/`s` in the list, `images --analyse`): the advisor's largest fix and its saving, as
// the explorer's Top fix says it, in the list's language; the largest wasted file when no fix saves a byte.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {topFix} from '../source/store/analyse-all.js';
import {analyzeSteps, aptThreeSteps, bookkeepingRewrite, debianBase, run} from './helpers/advice-fixtures.js';

test('the apt three steps: the merged RUN and what it saves, in English and in Chinese', async () => {
	const analysis = await analyzeSteps(aptThreeSteps);
	assert.match(topFix('en')(analysis)!, /^saves \d[\d.]* kB: merge layers 1–3 into one RUN/);
	assert.match(topFix('zh')(analysis)!, /^可节省 \d[\d.]* kB：把第 1–3 层合并成一个 RUN/);
});

test('only unavoidable bookkeeping noise: no fix saves bytes, so the largest wasted file is named', async () => {
	const analysis = await analyzeSteps([...debianBase, {createdBy: run('apt-get install -y ./tool.deb'), entries: bookkeepingRewrite}]);
	assert.equal(topFix('en')(analysis), '/var/lib/dpkg/status: 1.00 kB overwritten (stored by layer 0, hidden by layer 1)');
});
