#!/usr/bin/env python3
"""Writes server/src/tls/data/openssl-3.0.json: OpenSSL 3.0's cipher table, cipher-string aliases and
mask values, read from OpenSSL's own source (ssl/s3_lib.c, ssl/ssl_ciph.c, ssl/ssl_local.h and the
headers that name the suites), for the TypeScript re-implementation of its cipher-string evaluation.

Usage: scripts/openssl-cipher-table.py OPENSSL_SOURCE_DIR [OUT.json]

Get the source of the OpenSSL your nginx uses from Debian's archive, for example:
  apt-get source --download-only openssl   (with a deb-src entry), then tar xzf openssl_3.0.*.orig.tar.gz

The build options that remove suites from the table are those of Debian's packages (weak SSL
ciphers not compiled in). test/tls/ciphers.test.ts compares the result with the real `openssl ciphers`.
"""
import json
import re
import sys
from pathlib import Path

DEFINED = {'OPENSSL_NO_WEAK_SSL_CIPHERS'}  # Debian builds OpenSSL 3.0 without enable-weak-ssl-ciphers


def read(src, path):
    return (Path(src) / path).read_text()


def defines(text):
    """#define NAME VALUE (one line, continuation lines joined)."""
    text = re.sub(r'\\\n', ' ', text)
    out = {}
    for m in re.finditer(r'^\s*#\s*define\s+(\w+)\s+(.+?)\s*$', text, re.M):
        out[m.group(1)] = re.sub(r'/\*.*?\*/', '', m.group(2)).strip()
    return out


class Macros:
    def __init__(self, table):
        self.table = table

    def string(self, name):
        if name == 'NULL':
            return ''
        value = name if name.startswith('"') else self.table[name]
        if value.startswith('"'):
            return ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', value))
        return self.string(value)

    def number(self, expr):
        expr = expr.strip()
        expr = re.sub(r'\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b', lambda m: str(int(m.group(1), 0)), expr)
        expr = re.sub(r'\b([A-Za-z_]\w*)\b', lambda m: f'({self.number(self.table[m.group(1)])})', expr)
        expr = expr.replace('~', '~')
        value = eval(expr, {'__builtins__': {}})  # arithmetic on numbers only
        return value & 0xFFFFFFFF


def preprocess(text):
    """Keeps the lines of #ifdef/#ifndef/#if defined blocks that apply to this build."""
    out, stack = [], []
    for line in text.split('\n'):
        s = line.strip()
        m = re.match(r'#\s*(ifdef|ifndef)\s+(\w+)', s)
        if m:
            active = (m.group(2) in DEFINED) == (m.group(1) == 'ifdef')
            stack.append(active)
            continue
        m = re.match(r'#\s*if\s+(!?)defined\(?(\w+)\)?', s)
        if m:
            active = (m.group(2) in DEFINED) != (m.group(1) == '!')
            stack.append(active)
            continue
        if re.match(r'#\s*else', s):
            stack[-1] = not stack[-1]
            continue
        if re.match(r'#\s*endif', s):
            stack.pop()
            continue
        if all(stack):
            out.append(line)
    return '\n'.join(out)


def entries(block):
    """The { ... } initialisers of a C array of SSL_CIPHER."""
    body = block[block.index('{') + 1:]
    depth, start, items = 0, None, []
    for i, ch in enumerate(body):
        if ch == '{':
            depth += 1
            if depth == 1:
                start = i + 1
        elif ch == '}':
            if depth == 0:
                break
            depth -= 1
            if depth == 0:
                items.append([f.strip() for f in body[start:i].split(',') if f.strip()])
    return items


FIELDS = ['valid', 'name', 'stdname', 'id', 'mkey', 'auth', 'enc', 'mac', 'minTls', 'maxTls', 'minDtls', 'maxDtls',
          'strength', 'algorithm2', 'strengthBits', 'algBits']


def cipher_table(macros, text, array):
    block = re.search(rf'static SSL_CIPHER {array}\[\] = \{{.*?\n\}};', text, re.S).group(0)
    out = []
    for fields in entries(preprocess(block)):
        record = dict(zip(FIELDS, fields))
        out.append({
            'name': macros.string(record['name']),
            'standardName': macros.string(record['stdname']),
            'id': macros.number(record['id']),
            'mkey': macros.number(record['mkey']),
            'auth': macros.number(record['auth']),
            'enc': macros.number(record['enc']),
            'mac': macros.number(record['mac']),
            'minTls': macros.number(record['minTls']),
            'maxTls': macros.number(record['maxTls']),
            'strength': macros.number(record['strength']),
            'strengthBits': macros.number(record['strengthBits']),
            'algBits': macros.number(record['algBits']),
        })
    return sorted(out, key=lambda c: c['id'])  # ssl_sort_cipher_list()


ALIAS_FIELDS = ['valid', 'name', 'stdname', 'id', 'mkey', 'auth', 'enc', 'mac', 'minTls', 'maxTls', 'minDtls', 'maxDtls', 'strength']


def aliases(macros, text):
    block = re.search(r'static const SSL_CIPHER cipher_aliases\[\] = \{.*?\n\};', text, re.S).group(0)
    out = []
    for fields in entries(preprocess(block)):
        record = dict(zip(ALIAS_FIELDS, fields))
        get = lambda key: macros.number(record[key]) if key in record and record[key] != 'NULL' else 0
        name = record['name']
        out.append({
            'name': name.strip('"') if name.startswith('"') else macros.string(name),
            'valid': get('valid'),
            'mkey': get('mkey'),
            'auth': get('auth'),
            'enc': get('enc'),
            'mac': get('mac'),
            'minTls': get('minTls'),
            'strength': get('strength'),
        })
    return out


def main():
    src = sys.argv[1]
    out = Path(sys.argv[2] if len(sys.argv) > 2 else 'server/src/tls/data/openssl-3.0.json')
    table = {}
    for header in ['include/openssl/ssl.h.in', 'include/openssl/ssl3.h', 'include/openssl/tls1.h', 'include/openssl/prov_ssl.h', 'ssl/ssl_local.h']:
        path = Path(src) / header
        if path.exists():
            table.update(defines(path.read_text()))
    macros = Macros(table)
    s3 = read(src, 'ssl/s3_lib.c')
    mask_names = [n for n in table if re.match(r'SSL_(k|a)[A-Z0-9]|SSL_(DES|3DES|RC4|RC2|IDEA|eNULL|AES|CAMELLIA|eGOST|SEED|CHACHA|ARIA|MAGMA|KUZNYECHIK|CBC|MD5|SHA|GOST|AEAD|STRONG|LOW|MEDIUM|HIGH|FIPS|NOT_DEFAULT|DEFAULT_MASK|PSK)', n)]
    masks = {}
    for n in sorted(mask_names):
        try:
            masks[n] = macros.number(table[n])
        except Exception:
            pass
    versions = {n: macros.number(table[n]) for n in ['SSL3_VERSION', 'TLS1_VERSION', 'TLS1_1_VERSION', 'TLS1_2_VERSION', 'TLS1_3_VERSION']}
    data = {
        'source': f'{Path(src).name}: ssl/s3_lib.c, ssl/ssl_ciph.c (generated by scripts/openssl-cipher-table.py)',
        'masks': masks,
        'versions': versions,
        'ciphers': cipher_table(macros, s3, 'ssl3_ciphers'),
        'tls13': cipher_table(macros, s3, 'tls13_ciphers'),
        'aliases': aliases(macros, read(src, 'ssl/ssl_ciph.c')),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1) + '\n')
    print(f"{out}: {len(data['ciphers'])} ciphers, {len(data['tls13'])} TLS 1.3 suites, {len(data['aliases'])} aliases")


if __name__ == '__main__':
    main()
