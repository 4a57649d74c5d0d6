#!/usr/bin/env python3
"""make.py — the files the bad-input cases need (tests/bad-inputs/run.sh):
bad ones made on the spot (deep JSON, lying safetensors, image bombs) and
the snapshot that proves no file of the user's changed.

  make.py png PATH W H [R G B]          a PNG (no library needed)
  make.py huge-png PATH W H             a 1-bit PNG of W×H (small file, huge decode)
  make.py svg-bomb PATH W H             a 28×28 SVG embedding a W×H PNG
  make.py deep PATH N WHERE             project with N levels of nesting in WHERE
                                         (layout, dataset, heads)
  make.py lie SRC DST HOW               safetensors SRC rewritten to lie (overlap, gap,
                                         extra, shape, past-end, not-object, bad-utf8)
  make.py labels PATH N KIND            labels.csv: 2 good rows and N bad ones
                                         (missing, escape, mixed)
  make.py edit SRC DST CODE             project SRC with the Python CODE run on it (as p) into DST
  make.py snapshot DIR OUT              what every file in DIR holds
  make.py unchanged DIR SNAP [ALLOWED…] fails if a file changed, appeared or went
  make.py json-last-line FILE           the last line is one valid JSON object, UTF-8
"""
import hashlib, json, os, struct, sys, zlib, base64

def png_bytes(w, h, rgb=(200, 40, 40), bits=8):
    def chunk(t, d):
        return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    if bits == 1:
        ihdr = struct.pack('>IIBBBBB', w, h, 1, 0, 0, 0, 0)
        row = b'\0' + b'\0' * ((w + 7) // 8)
    else:
        ihdr = struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)
        row = b'\0' + bytes(rgb) * w
    c = zlib.compressobj(9)
    data = b''.join(c.compress(row) for _ in range(h)) + c.flush()
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', data) + chunk(b'IEND', b'')

def deep(path, n, where):
    p = json.load(open(path))
    inner = '[' * n + ']' * n
    text = json.dumps(p)
    if where == 'layout':
        text = text[:-1] + ', "layout": ' + inner + '}'
    elif where == 'dataset':
        text = text.replace('"dataset": {', '"dataset": {"augment": ' + '{"a":' * n + '1' + '}' * n + ', ', 1)
    else:
        text = text.replace('"heads": [', '"heads": [' + inner + ', ', 1)
    open(path, 'w').write(text)

def lie(src, dst, how):
    b = open(src, 'rb').read()
    n = struct.unpack('<Q', b[:8])[0]
    header = json.loads(b[8:8 + n])
    data = b[8 + n:]
    names = sorted((k for k in header if k != '__metadata__'), key=lambda k: header[k]['data_offsets'][0])
    a, z = header[names[0]], header[names[-1]]
    if how == 'overlap':      # the second tensor starts inside the first
        t = header[names[1]]
        t['data_offsets'] = [t['data_offsets'][0] - 4, t['data_offsets'][1] - 4]
    elif how == 'gap':        # bytes between two tensors that nobody holds
        for k in names[1:]:
            header[k]['data_offsets'] = [o + 4 for o in header[k]['data_offsets']]
        data = data[:a['data_offsets'][1]] + b'\0\0\0\0' + data[a['data_offsets'][1]:]
    elif how == 'extra':      # trailing bytes after the last tensor
        data += b'\0' * 16
    elif how == 'shape':      # the shape says more than the bytes hold
        a['shape'] = [a['shape'][0] + 1] + a['shape'][1:]
    elif how == 'past-end':   # the last tensor runs past the end of the file
        data = data[:-8]
    elif how == 'bad-utf8':
        header.setdefault('__metadata__', {})['name'] = 'x'
    text = json.dumps(header).encode()
    if how == 'not-object':
        text = b'[' + text + b']'
    if how == 'bad-utf8':
        text = text.replace(b'"name": "x"', b'"name": "\xff"')
    text += b' ' * (-len(text) % 8)
    open(dst, 'wb').write(struct.pack('<Q', len(text)) + text + data)

def labels(path, n, kind):
    rows = ['file,colour', 'a.png,red', 'b.png,blue']
    for i in range(n):
        if kind == 'missing' or (kind == 'mixed' and i % 2):
            rows.append('gone%d.png,red' % i)
        else:
            rows.append('../secret.png,blue' if i % 3 else '../../../../etc/passwd,red')
    open(path, 'w').write('\n'.join(rows) + '\n')

def snapshot(d):
    out = {}
    for root, dirs, files in os.walk(d):
        for name in dirs + files:
            p = os.path.join(root, name)
            rel = os.path.relpath(p, d)
            st = os.lstat(p)
            if os.path.islink(p):
                out[rel] = 'link:' + os.readlink(p)
            elif os.path.isdir(p):
                out[rel] = 'dir'
            elif st.st_size > (64 << 20):
                out[rel] = 'big:%d:%d' % (st.st_size, st.st_mtime_ns)
            elif not os.path.isfile(p):
                out[rel] = 'special'
            else:
                out[rel] = hashlib.sha256(open(p, 'rb').read()).hexdigest()
    return out

def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'png':
        rgb = tuple(int(x) for x in args[3:6]) if len(args) >= 6 else (200, 40, 40)
        open(args[0], 'wb').write(png_bytes(int(args[1]), int(args[2]), rgb))
    elif cmd == 'huge-png':
        open(args[0], 'wb').write(png_bytes(int(args[1]), int(args[2]), bits=1))
    elif cmd == 'svg-bomb':
        png = base64.b64encode(png_bytes(int(args[1]), int(args[2]), bits=1)).decode()
        open(args[0], 'w').write('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink='
                                 '"http://www.w3.org/1999/xlink" width="28" height="28"><image '
                                 'width="28" height="28" xlink:href="data:image/png;base64,%s"/></svg>' % png)
    elif cmd == 'deep':
        deep(args[0], int(args[1]), args[2])
    elif cmd == 'lie':
        lie(args[0], args[1], args[2])
    elif cmd == 'labels':
        labels(args[0], int(args[1]), args[2])
    elif cmd == 'snapshot':
        json.dump(snapshot(args[0]), open(args[1], 'w'))
    elif cmd == 'edit':
        p = json.load(open(args[0]))
        exec(args[2], {'p': p})
        json.dump(p, open(args[1], 'w'), indent=1)
    elif cmd == 'unchanged':
        before, after = json.load(open(args[1])), snapshot(args[0])
        allowed = set(args[2:])
        # a run's record (NAME.runs/…, new files only) is what train writes by design
        def new_run_record(k):
            return k not in before and k.split('/')[0].endswith('.runs')
        bad = [k for k in set(before) | set(after)
               if before.get(k) != after.get(k) and k not in allowed and not new_run_record(k)
               and not any(k.startswith(a.rstrip('/') + '/') for a in allowed)]
        for k in sorted(bad):
            print('changed: %s (%s → %s)' % (k, before.get(k, 'absent'), after.get(k, 'absent')))
        sys.exit(1 if bad else 0)
    elif cmd == 'json-last-line':
        raw = open(args[0], 'rb').read().rstrip(b'\n').split(b'\n')[-1]
        json.loads(raw.decode('utf-8'))   # raises on invalid UTF-8 or JSON
    else:
        sys.exit('make.py: unknown command ' + cmd)

main()
