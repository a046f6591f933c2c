/**
 * `npm run demo`: the embedded store plus both sandboxes, a demo company, one processed payroll, its
 * webhook, the posted journal and the audit trail. Until the posting pipeline lands it says so and fails.
 */
process.stderr.write('ml-connector demo: the posting pipeline is not built yet (see the README, "Status"); nothing to demo.\n');
process.exit(2);
