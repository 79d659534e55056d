// Browser tests of training in the worker: curves, controls, persistence, bad runs, jank.
import fs from 'node:fs';
import { assert, suite } from './harness.mjs';
import {
  badge, closeWithoutPageErrors, inferences, pressTrainControl, inputVersion, openedOn, prediction, selectPreset, showTab, testid, waitForAnswer,
  waitForRerun,
} from './app.mjs';
import {
  exportWeights, firstPointHeight, guessLine, lossPoints, safetensorsFloats, setTraining, testAccuracy, trainingValues, trainStatus,
  waitForLossPoints, waitForStatus,
} from './training.mjs';
import { recordThreadTasks } from './thread-tasks.mjs';

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

async function weightsStatus(page) {
  return (await page.textContent(testid('weights-status'))).trim();
}

async function startingPoint(page) {
  return page.textContent(testid('train-starting-point'));
}

async function resetToRandom(page) {
  const before = await page.evaluate(() => window.convscope.networksLoaded ?? 0);
  await pressTrainControl(page, 'reset-random');
  await page.waitForFunction((count) => window.convscope.networksLoaded > count, before, { timeout: 60_000 });
}

// Tests of one suite tell one story (a run, its pause, a reload that restores it): run a suite
// whole, e.g. `node tests/e2e/run.mjs "train cpu"`.
export function trainingSuites(server) {
  const cpu = suite('train cpu', openedOn(server, '?backend=cpu'), closeWithoutPageErrors);

  cpu.test('a first visit\'s settings are the quick run from scratch; a failed training-set download and impossible settings are told in words', async ({ browser, page }) => {
    await selectPreset(page, 'resnet18-lite');
    await showTab(page, 'train');
    // ResNet-18-lite's run from scratch (97 % in one pass, README "Time to a good network").
    const defaults = await trainingValues(page);
    assert(JSON.stringify(defaults) === JSON.stringify(['1', '32', '0.002', 'warmup-cosine', '20000']), `defaults: ${defaults}`);
    await setTraining(page, { epochs: 0 });
    await pressTrainControl(page, 'train-start');
    assert(/epochs must be 1 to/.test(await page.textContent(testid('train-message'))), 'no settings message');
    assert(await trainStatus(page) === 'idle', `status: ${await trainStatus(page)}`);
    // What the status says, to the eye and to a screen reader alike, is in the page's language.
    await page.selectOption(testid('lang-select'), 'zh-CN');
    const spoken = await page.$eval(testid('train-status'), (status) => [status.textContent.trim(), status.closest('[aria-hidden="true"]')]);
    assert(spoken[0] === '空闲' && spoken[1] === null, `the status in Chinese: ${spoken}`);
    await page.selectOption(testid('lang-select'), 'en');
    const trainingSet = '**/mnist/train-images-idx3-ubyte.gz';
    await browser.context.route(trainingSet, (route) => route.fulfill({ status: 503, body: 'down' }));
    await setTraining(page, { epochs: 1, size: 512 });
    await pressTrainControl(page, 'train-start');
    await waitForStatus(page, 'error', 60_000);
    const message = await page.textContent(testid('train-message'));
    assert(/train-images.*503/.test(message), `message: ${message}`);
    const before = await inputVersion(page);
    await page.click(testid('mnist-random'));
    await waitForAnswer(page, before);
    assert(/^\d$/.test(await prediction(page)), `prediction: ${await prediction(page)}`);
    await browser.context.unroute(trainingSet);
  });

  cpu.test('each network shows its own run from scratch and why; changes are kept per network, across a reload, and a shared set chosen before is kept', async ({ page }) => {
    const expectValues = async (want, what) => {
      const got = await trainingValues(page);
      assert(JSON.stringify(got) === JSON.stringify(want), `${what}: ${got}`);
    };
    const recommendation = () => page.textContent(testid('train-recommendation'));
    // In use: a label says so where the button was (a greyed button left students guessing).
    const recommendedInUse = async () => {
      const [label, button] = await Promise.all([
        page.$$(testid('train-recommended-in-use')), page.$$(testid('train-recommended'))]);
      assert(label.length + button.length === 1, `label ${label.length}, button ${button.length}`);
      return label.length === 1;
    };
    const afterReload = async (network) => {
      await page.reload();
      await page.waitForFunction((name) => window.convscope?.network === name, network, { timeout: 60_000 });
      await showTab(page, 'train');
    };

    // GoogLeNet-lite and VGG-lite need more digits than AlexNet-lite (README, "Time to a good network").
    await selectPreset(page, 'googlenet-lite');
    await showTab(page, 'train');
    await expectValues(['1', '32', '0.001', 'warmup-cosine', '40000'], 'googlenet-lite');
    const why = await recommendation();
    assert(/googlenet-lite: 40,000 training images .* learning rate 0\.001 .*Inception/.test(why), `recommendation: ${why}`);
    assert(await recommendedInUse(), 'the recommended settings are in use, yet the button offers them');
    await setTraining(page, { size: 5000 });
    assert(!(await recommendedInUse()), 'changed settings, yet no button offers the recommendation');
    await selectPreset(page, 'vgg-lite');
    await expectValues(['1', '32', '0.002', 'warmup-cosine', '30000'], 'vgg-lite');
    assert(/vgg-lite: 30,000 training images/.test(await recommendation()), `recommendation: ${await recommendation()}`);

    await afterReload('vgg-lite');
    await expectValues(['1', '32', '0.002', 'warmup-cosine', '30000'], 'vgg-lite after a reload');
    await selectPreset(page, 'googlenet-lite');
    await expectValues(['1', '32', '0.001', 'warmup-cosine', '5000'], 'googlenet-lite after a reload');
    await pressTrainControl(page, 'train-recommended');
    await expectValues(['1', '32', '0.001', 'warmup-cosine', '40000'], 'googlenet-lite, recommended again');
    assert(await recommendedInUse(), 'back to the recommendation, yet the button offers it');
    // The pressed button is gone: focus is on the label that took its place, not lost to the page.
    const focused = await page.evaluate(() => document.activeElement?.dataset.testid ?? document.activeElement?.tagName);
    assert(focused === 'train-recommended-in-use', `focus after "Use these settings": ${focused}`);

    // One set for every network, as pages before per-network settings kept it: a set the user
    // chose stays; the former default gives way to each network's recommendation.
    const shared = (settings) => page.evaluate((json) => {
      localStorage.removeItem('convscope.training.by-network');
      localStorage.setItem('convscope.training', json);
    }, JSON.stringify(settings));
    await shared({ epochs: 3, batch_size: 64, learning_rate: 0.0005, optimizer: 'adam', train_size: 12000, schedule: 'cosine' });
    await afterReload('googlenet-lite');
    await expectValues(['3', '64', '0.0005', 'cosine', '12000'], 'a chosen shared set');
    await pressTrainControl(page, 'train-recommended');
    await afterReload('googlenet-lite');
    await expectValues(['1', '32', '0.001', 'warmup-cosine', '40000'], 'the recommendation after a shared set');
    await selectPreset(page, 'alexnet-lite');
    await expectValues(['3', '64', '0.0005', 'cosine', '12000'], 'the shared set on another network');
    await selectPreset(page, 'googlenet-lite');
    await shared({ epochs: 1, batch_size: 32, learning_rate: 0.002, optimizer: 'adam', train_size: 20000, schedule: 'warmup-cosine' });
    await afterReload('googlenet-lite');
    await expectValues(['1', '32', '0.001', 'warmup-cosine', '40000'], 'after the former shared default');
    await page.evaluate(() => localStorage.removeItem('convscope.training'));
    await selectPreset(page, 'resnet18-lite');
  });

  cpu.test('over the shipped weights, "start from random weights" trains on 2,048 digits from nothing: the loss curve falls from near ln 10, the page does no long work, test accuracy and results show', async ({ browser, page }) => {
    await selectPreset(page, 'resnet18-lite');
    await setTraining(page, { epochs: 1, batch: 32, lr: 0.001, optimizer: 'adam', size: 2048 });
    // Before a run the panel says what it would start from.
    assert(/pretrained weights/.test(await startingPoint(page)), `before: ${await startingPoint(page)}`);
    // The empty charts show what a guess scores: ln 10 of loss, 10 % of accuracy.
    const [lossGuess, accuracyGuess] = [await guessLine(page, 'loss-chart'), await guessLine(page, 'accuracy-chart')];
    assert(Math.abs(lossGuess?.value - Math.log(10)) < 1e-3 && Math.abs(accuracyGuess?.value - 10) < 1e-3,
      `guess lines before a run: ${JSON.stringify([lossGuess, accuracyGuess])}`);
    const loaded = await page.evaluate(() => window.convscope.networksLoaded);
    await page.click(testid('train-from-random'));
    // Steady training: from the first point on (the training set is downloaded and parsed).
    await waitForLossPoints(page, 1);
    assert(await page.evaluate(() => window.convscope.networksLoaded) > loaded, 'no new weights were loaded');
    assert(await page.$(testid('train-starting-point')) === null, 'the starting point is still told during the run');
    const rate = async () => {
      const line = await page.textContent('.train-line');
      return [Number(line.match(/learning rate ([0-9.e-]+)/)?.[1]), line];
    };
    const [during, line] = await rate();
    assert(during > 0 && during <= 0.001, `progress: ${line}`);
    // Training runs in the worker; the page only draws its progress. Its tasks' CPU time is
    // bounded, not their wall time, which a busy machine stretches (bench/train.mjs prints both).
    const recording = await recordThreadTasks(browser.context, page);
    await waitForStatus(page, 'stopped');
    const tasks = (await recording.stop()).main;
    assert(tasks.length > 100, `${tasks.length} main-thread tasks traced while training`);
    const long = tasks.filter((task) => task.cpuMs > 100);
    assert(long.length === 0, `main-thread tasks over 100 ms of CPU (wall/CPU ms): ${long.map((t) => `${Math.round(t.wallMs)}/${Math.round(t.cpuMs)}`)}`);
    // The cosine has brought the rate of the last of the 64 steps close to zero.
    const [final, finalLine] = await rate();
    assert(final > 0 && final < 0.0001, `at the end: ${finalLine}`);
    const losses = await lossPoints(page);
    assert(losses.length >= 5, `${losses.length} points on the loss chart`);
    const [first, last] = [mean(losses.slice(0, 2)), mean(losses.slice(-2))];
    assert(last < 0.7 * first, `the loss went from ${first} to ${last}`);
    // Random weights guess: the shipped ones start near 0.05.
    assert(losses[0] > 1.5, `the first loss is ${losses[0]}: not a network starting from nothing`);
    // …near the guess line (a point is the mean of the steps since the last one, which have
    // begun to learn), and the chart draws it against the line (the plot's zero is at y 128).
    assert(losses[0] < Math.log(10) + 0.6, `the first loss is ${losses[0]}`);
    const [guess, start] = [await guessLine(page, 'loss-chart'), await firstPointHeight(page, 'loss-chart')];
    const drawnRatio = guess && (128 - start) / (128 - guess.y);
    assert(Math.abs(drawnRatio - losses[0] / Math.log(10)) < 0.02, `first point at ${start}, guess line ${JSON.stringify(guess)}`);
    assert(/earlier training/.test(await startingPoint(page)) && await page.$(testid('train-from-random')) === null,
      `after: ${await startingPoint(page)}`);
    const accuracy = await testAccuracy(page);
    assert(accuracy > 50 && accuracy <= 100, `test accuracy ${accuracy}`);
    assert(await page.$$eval(`${testid('accuracy-chart')} circle.filled`, (c) => c.length) === 1, 'no full-test point');
    assert(await page.$$eval(`${testid('confusion-matrix')} tbody td`, (c) => c.length) === 100, 'no confusion matrix');
    // The confusion matrix and the curves save as SVG figures with a caption.
    const count = (svg, tag) => svg.split(`<${tag} `).length - 1;
    for (const [figure, drawn] of [['.confusion', (svg) => count(svg, 'rect') === 101], [`figure:has(${testid('loss-chart')})`, (svg) => count(svg, 'polyline') === 1]]) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`${figure} ${testid('export-figure')}`)]);
      const svg = fs.readFileSync(await download.path(), 'utf8');
      assert(download.suggestedFilename().endsWith('.svg') && svg.startsWith('<svg'), `${figure}: ${download.suggestedFilename()}`);
      assert(drawn(svg) && /trained here, steps: \d+/.test(svg), `${figure}: the SVG lacks its drawing or caption`);
    }
    assert(await page.$$eval(`${testid('mistakes')} button`, (b) => b.length) > 0, 'no misclassified digits');
    // Inside the network: one gradient-norm curve per conv and linear layer (21 in
    // ResNet-18-lite), one dead-ReLU curve per ReLU tap (its stem), each over several points.
    const curves = (id) => page.$$eval(`${testid(id)} polyline`, (lines) => lines.map((l) => Number(l.dataset.points)));
    const [norms, dead] = [await curves('grad-norm-chart'), await curves('dead-relu-chart')];
    assert(norms.length === 21 && norms.every((n) => n >= 2), `gradient-norm curves: ${norms}`);
    assert(dead.length === 1 && dead[0] >= 2, `dead-ReLU curves: ${dead}`);
    // Their axes give the bounds as numbers (on the log scale too) and the step; one curve is
    // named alone, not as a range from itself to itself.
    const ticks = await page.$$eval(`${testid('grad-norm-chart')} text.tick`, (t) => t.map((e) => e.textContent));
    const [top, bottom] = ticks.map(Number);
    assert(top > bottom && bottom > 0 && /^step \d+$/.test(ticks[2]), `gradient-norm ticks: ${ticks}`);
    const legend = (await page.textContent(`figure:has(${testid('dead-relu-chart')}) .legend-line`)).trim();
    assert(legend === 'b1.conv', `dead-ReLU legend: ${legend}`);
    assert(/trained here/.test(await weightsStatus(page)), `weights: ${await weightsStatus(page)}`);
    const progress = await page.$eval(testid('train-progress'), (bar) => bar.value);
    assert(progress === 1, `progress ${progress}`);
  });

  cpu.test('a misclassified digit opens as the input', async ({ page }) => {
    const before = await inputVersion(page);
    const caption = await page.textContent(`${testid('mistakes')} button span`);
    await page.click(`${testid('mistakes')} button`);
    await waitForAnswer(page, before);
    const [, predicted] = caption.split(' → ');
    assert(await prediction(page) === predicted.trim(), `shown ${await prediction(page)}, gallery ${caption}`);
  });

  let trainedWeights;
  cpu.test('pause holds the run, resume goes on, stop keeps the weights', async ({ page }) => {
    await selectPreset(page, 'alexnet-lite');
    await setTraining(page, { epochs: 2, size: 6000 });
    await pressTrainControl(page, 'train-start');
    await waitForLossPoints(page, 2);
    await pressTrainControl(page, 'train-pause');
    await waitForStatus(page, 'paused', 60_000);
    const held = (await lossPoints(page)).length;
    await page.waitForTimeout(1500);
    assert((await lossPoints(page)).length === held, 'points appeared while paused');
    await pressTrainControl(page, 'train-pause');
    await waitForStatus(page, 'training', 10_000);
    await waitForLossPoints(page, held + 2);
    await pressTrainControl(page, 'train-stop');
    await waitForStatus(page, 'stopped', 60_000);
    // A fine-tune of the shipped weights stays far under a guess: the chart keeps the curve's
    // detail rather than the guess line.
    const fineTune = await lossPoints(page);
    assert(Math.max(...fineTune) < Math.log(10) / 2 && await guessLine(page, 'loss-chart') === null,
      `fine-tune losses ${fineTune}, guess line ${JSON.stringify(await guessLine(page, 'loss-chart'))}`);
    // The stop's checkpoint is in IndexedDB once `savedSteps` matches the steps shown.
    await page.waitForFunction(() => {
      const shown = document.querySelector('[data-testid="weights-status"]').textContent.match(/trained here.*?(\d+)$/);
      return shown && window.convscope.savedSteps === Number(shown[1]);
    });
    trainedWeights = await exportWeights(page);
    // A frame per checkpoint (the pause's and the stop's at least); the slider goes back.
    const frames = await page.$eval(testid('filmstrip'), (slider) => Number(slider.max) + 1);
    assert(frames >= 2, `${frames} filmstrip frames`);
    const picture = () => page.$eval(testid('filmstrip-kernels'), (c) => c.toDataURL());
    const [newest, newestStep] = [await picture(), await page.textContent(testid('filmstrip-step'))];
    await page.$eval(testid('filmstrip'), (slider) => {
      slider.value = '0';
      slider.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.waitForFunction((step) => document.querySelector('[data-testid="filmstrip-step"]').textContent !== step, newestStep);
    assert(await picture() !== newest, 'the first checkpoint\'s kernels look like the last\'s');
    assert(await page.$$eval(`${testid('dead-relu-chart')} polyline`, (l) => l.length) === 7, 'alexnet-lite has seven ReLU taps');
  });

  cpu.test('a reload restores the trained weights and says so', async ({ page }) => {
    const steps = (await weightsStatus(page)).match(/(\d+)$/)[1];
    await page.reload();
    await page.waitForFunction(
      (want) => /restored/.test(document.querySelector('[data-testid="weights-status"]')?.textContent ?? '')
        && window.convscope.network === 'alexnet-lite',
      steps, { timeout: 60_000 });
    assert((await weightsStatus(page)).endsWith(steps), `weights: ${await weightsStatus(page)}`);
    const restored = await exportWeights(page);
    assert(restored.equals(trainedWeights), 'the restored weights differ from the trained ones');
  });

  cpu.test('reset to pretrained forgets the trained weights, also for the next visit', async ({ page }) => {
    const before = await page.evaluate(() => window.convscope.networksLoaded);
    await pressTrainControl(page, 'reset-pretrained');
    await page.waitForFunction((count) => window.convscope.networksLoaded > count, before, { timeout: 60_000 });
    assert(/pretrained/.test(await weightsStatus(page)), `weights: ${await weightsStatus(page)}`);
    assert(!(await exportWeights(page)).equals(trainedWeights), 'the trained weights are still in use');
    await page.reload();
    await page.waitForFunction(() => window.convscope?.network === 'alexnet-lite', null, { timeout: 60_000 });
    assert(/pretrained/.test(await weightsStatus(page)), `after a reload: ${await weightsStatus(page)}`);
    await resetToRandom(page);
    assert(/random/.test(await weightsStatus(page)), `weights: ${await weightsStatus(page)}`);
    assert(/at 2\.3/.test(await startingPoint(page)) && await page.$(testid('train-from-random')) === null,
      `over random weights: ${await startingPoint(page)}`);
  });

  cpu.test('damaged weights kept in this browser give way to the shipped ones, with a message', async ({ page }) => {
    await page.evaluate(() => new Promise((resolve, reject) => {
      const request = indexedDB.open('convscope', 1);
      request.onerror = () => reject(request.error);
      request.onsuccess = () => {
        const transaction = request.result.transaction('checkpoints', 'readwrite');
        transaction.objectStore('checkpoints').put({ bytes: new Uint8Array([1, 2, 3]), steps: 5 }, 'alexnet-lite');
        transaction.oncomplete = () => { request.result.close(); resolve(); };
        transaction.onerror = () => reject(transaction.error);
      };
    }));
    await page.reload();
    await page.waitForFunction(
      () => /would not load/.test(document.querySelector('[data-testid="error-banner"]')?.textContent ?? ''),
      null, { timeout: 60_000 });
    await page.waitForFunction(
      () => /pretrained/.test(document.querySelector('[data-testid="weights-status"]')?.textContent ?? ''),
      null, { timeout: 60_000 });
    const before = await inputVersion(page);
    await page.click(testid('mnist-random'));
    await waitForAnswer(page, before);
    assert(/^\d$/.test(await prediction(page)), `prediction: ${await prediction(page)}`);
  });

  cpu.test('a huge learning rate pauses with a message; the weights stay sound; a lower one resumes', async ({ page }) => {
    await setTraining(page, { epochs: 1, size: 2048, lr: 1e6 });
    await pressTrainControl(page, 'train-start');
    await waitForStatus(page, 'paused', 120_000);
    const message = await page.textContent(testid('train-message'));
    assert(/blew up/.test(message), `message: ${message}`);
    const floats = safetensorsFloats(await exportWeights(page));
    assert(floats.length > 1000 && floats.every(Number.isFinite), 'the kept weights are not all finite');
    const probabilities = await page.textContent(testid('probabilities'));
    assert(!/NaN/.test(probabilities), `probabilities: ${probabilities}`);
    await setTraining(page, { lr: 0.001 });
    await pressTrainControl(page, 'train-pause');
    await waitForStatus(page, 'training', 10_000);
    const points = (await lossPoints(page)).length;
    await waitForLossPoints(page, points + 1);
    await pressTrainControl(page, 'train-stop');
    await waitForStatus(page, 'stopped', 60_000);
  });

  const webgpu = suite('train webgpu', openedOn(server, '?backend=webgpu'), closeWithoutPageErrors);
  webgpu.test('training runs on WebGPU; a device lost mid-run keeps the checkpointed weights and says so', async ({ page: gpuPage }) => {
    assert((await badge(gpuPage)).includes('WebGPU'), `badge: ${await badge(gpuPage)}`);
    await selectPreset(gpuPage, 'alexnet-lite');
    await setTraining(gpuPage, { epochs: 1, batch: 32, lr: 0.001, optimizer: 'adam', size: 60000 });
    await pressTrainControl(gpuPage, 'train-start');
    await waitForLossPoints(gpuPage, 2, 300_000);
    const losses = await lossPoints(gpuPage);
    assert(losses.every(Number.isFinite), `losses: ${losses}`);
    // A pause checkpoints; the device is then lost while the resumed run trains.
    await pressTrainControl(gpuPage, 'train-pause');
    await waitForStatus(gpuPage, 'paused', 120_000);
    const trainedSteps = async () => Number((await weightsStatus(gpuPage)).match(/trained here.*?(\d+)$/)?.[1]);
    const checkpointed = await trainedSteps();
    assert(checkpointed > 0, `weights: ${await weightsStatus(gpuPage)}`);
    await pressTrainControl(gpuPage, 'train-pause');
    await waitForStatus(gpuPage, 'training', 10_000);
    await waitForLossPoints(gpuPage, losses.length + 1, 300_000);
    const answered = await inferences(gpuPage);
    await gpuPage.evaluate(() => window.convscope.loseGpuDevice());
    await gpuPage.waitForSelector(`${testid('backend-badge')}:has-text("CPU")`, { timeout: 60_000 });
    await waitForStatus(gpuPage, 'error', 10_000);
    assert(/checkpoint/.test(await gpuPage.textContent(testid('train-message'))), 'no message');
    // The last checkpoint: the pause's, or a later timed one.
    assert(await trainedSteps() >= checkpointed, `weights after the loss: ${await weightsStatus(gpuPage)}`);
    // The restarted CPU engine answers the input again, with those weights.
    await waitForRerun(gpuPage, answered);
    assert(/^\d$/.test(await prediction(gpuPage)), `prediction: ${await prediction(gpuPage)}`);
  });

  return [cpu, webgpu];
}
