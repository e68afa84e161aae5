import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, sandbox, type Sandbox } from '../helpers/cli.js';
import { HAS_TMUX, Tmux } from '../helpers/tmux.js';

let s: Sandbox;
beforeAll(() => {
  s = sandbox();
});
afterAll(() => s.cleanup());

describe.skipIf(!HAS_TMUX)('carnet add in a terminal', () => {
  it('asks for the missing fields with prompts and saves the answers', async () => {
    const t = new Tmux(`env CARNET_DB='${s.db}' LANG=C.UTF-8 '${process.execPath}' '${BIN}' add --city Toulouse; echo EXIT=$?; sleep 60`);
    try {
      await t.waitFor(/Kind/);
      t.key('Enter'); // a person
      await t.waitFor(/First name/);
      t.type('Zoé');
      t.key('Enter');
      await t.waitFor(/Last name/);
      t.type('Faure');
      t.key('Enter');
      await t.waitFor(/E-mail/);
      t.type('Zoe.Faure@Free.fr');
      t.key('Enter');
      await t.waitFor(/Phone/);
      t.key('Enter');
      const screen = await t.waitFor(/EXIT=\d+/);
      expect(screen).toMatch(/added customer/);
      expect(screen).toMatch(/EXIT=0/);
      expect(screen).not.toMatch(/City/); // given as a flag, so not asked
    } finally {
      t.kill();
    }
    const c = s.json<{ first_name: string; last_name: string; email_norm: string; city: string }>(['show', 'zoe.faure@free.fr']);
    expect(c).toMatchObject({ first_name: 'Zoé', last_name: 'Faure', email_norm: 'zoe.faure@free.fr', city: 'Toulouse' });
  });

  it('does not prompt without a terminal: it refuses the empty customer with exit 3', () => {
    const r = s.run(['add']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/needs a name/);
  });
});
