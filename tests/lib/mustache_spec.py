# Runs `parley mustache render` on every test of the Mustache spec files in
# SPEC_DIR (template, data as --context, partials as --partials DIR) and
# compares its output byte for byte. Usage: mustache_spec.py PARLEY SPEC_DIR
import json, os, subprocess, sys, tempfile, glob
parley, spec_dir = sys.argv[1], sys.argv[2]
passed = failed = 0
for path in sorted(glob.glob(os.path.join(spec_dir, '*.json'))):
    for t in json.load(open(path))['tests']:
        with tempfile.TemporaryDirectory() as d:
            tpl = os.path.join(d, 'template.mustache')
            open(tpl, 'w').write(t['template'])
            ctx = os.path.join(d, 'ctx.json')
            json.dump(t['data'], open(ctx, 'w'))
            args = [parley, 'mustache', 'render', tpl, '--context', ctx]
            if t.get('partials'):
                pd = os.path.join(d, 'partials'); os.mkdir(pd)
                for k, v in t['partials'].items():
                    open(os.path.join(pd, k + '.mustache'), 'w').write(v)
                args += ['--partials', pd]
            r = subprocess.run(args, capture_output=True)
            out = r.stdout.decode('utf-8', 'replace')
            if r.returncode == 0 and out == t['expected']:
                passed += 1
            else:
                failed += 1
                print(f"FAIL {os.path.basename(path)}: {t['name']}: rc={r.returncode} got {out!r} want {t['expected']!r} {r.stderr[:200]!r}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
