// The input of cloudflared's YAML library (gopkg.in/yaml.v3 v3.0.1, readerc.go): the file's bytes,
// decoded as yaml.v3 decodes them. cloudflared reads its config through yaml.NewDecoder(file), so
// the bytes arrive in reads of 512 (input_raw_buffer_size, yamlh.go) and each read is decoded whole:
// a forbidden character is an error as soon as the read that holds it is decoded, which can be
// before the scanner reaches it (readerc.go, yaml_parser_update_buffer).

/** Thrown when yaml.v3 stops: its parser.error, problem and marks, for parser.fail() (decode.go). */
export class YamlStop extends Error {
  constructor(
    readonly kind: 'reader' | 'scanner' | 'parser' | 'composer',
    readonly problem: string,
    readonly contextMark?: Mark,
    readonly problemMark?: Mark,
    readonly context = '',
    /** For reader errors: where in the text the offending byte is. */
    readonly offset?: number,
  ) {
    super(problem);
  }
}

export interface Mark {
  /** Characters from the start (a CRLF counts two), as yaml_mark_t.index. */
  index: number;
  /** 0-based, as yaml_mark_t.line. */
  line: number;
  /** 0-based, in characters. */
  column: number;
}

const RAW_BUFFER_SIZE = 512; // yamlh.go input_raw_buffer_size

/**
 * The decoded characters, read on demand in yaml.v3's order. `offsets[i]` is where character i
 * starts in the text the editor has (UTF-16 units), `offsets[length]` the end.
 */
export class Reader {
  readonly chars: number[] = [];
  readonly offsets: number[] = [];
  private readonly bytes: Uint8Array;
  /** The text offset of each byte (the start of its character for UTF-8 text). */
  private readonly byteOffsets: Int32Array;
  private readonly textLength: number;
  private fileRead = 0; // bytes handed to yaml.v3 by Read so far
  private decodedBytes = 0; // bytes decoded into characters
  private encoding: 'unknown' | 'utf8' | 'utf16le' | 'utf16be' = 'unknown';
  eof = false;

  constructor(text: string, latin1: boolean) {
    this.textLength = text.length;
    if (latin1) {
      this.bytes = new Uint8Array(text.length);
      this.byteOffsets = new Int32Array(text.length + 1);
      for (let i = 0; i < text.length; i++) {
        this.bytes[i] = text.charCodeAt(i) & 0xff;
        this.byteOffsets[i] = i;
      }
      this.byteOffsets[text.length] = text.length;
      return;
    }
    const encoded = Buffer.from(text, 'utf8');
    this.bytes = encoded;
    this.byteOffsets = new Int32Array(encoded.length + 1);
    let byte = 0;
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      const units = cp > 0xffff ? 2 : 1;
      const width = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 || (cp >= 0xd800 && cp <= 0xdfff) ? 3 : 4;
      for (let k = 0; k < width && byte + k < encoded.length; k++) this.byteOffsets[byte + k] = i;
      byte += width;
      i += units;
    }
    this.byteOffsets[encoded.length] = text.length;
  }

  /** Characters decoded and not yet past the end: what `parser.unread` counts from position `pos`. */
  available(pos: number): number {
    return this.chars.length - pos;
  }

  /** yaml_parser_update_buffer: make `length` characters from `pos` available (NULs past the end). */
  ensure(pos: number, length: number): void {
    if (this.chars.length - pos >= length) return;
    if (this.encoding === 'unknown') this.determineEncoding();
    let first = true;
    while (this.chars.length - pos < length) {
      if (this.eof) return; // the buffer reads as NUL from here on (the [Go] padding)
      if (!first || this.decodedBytes === this.fileRead) this.readRaw();
      first = false;
      this.decodeRaw();
      if (this.eof && this.decodedBytes === this.fileRead) {
        this.offsets[this.chars.length] = this.textLength;
        return;
      }
    }
  }

  /** The character at `i`, 0 (NUL) past the end, as yaml.v3's buffer reads. */
  at(i: number): number {
    return i < this.chars.length ? this.chars[i]! : 0;
  }

  offsetOf(index: number): number {
    if (index < this.chars.length) return this.offsets[index]!;
    return this.textLength;
  }

  private readRaw(): void {
    if (this.eof) return;
    const room = RAW_BUFFER_SIZE - (this.fileRead - this.decodedBytes);
    if (room <= 0) return;
    const n = Math.min(room, this.bytes.length - this.fileRead);
    if (n === 0) this.eof = true; // os.File.Read: 0, io.EOF
    else this.fileRead += n;
  }

  private determineEncoding(): void {
    while (!this.eof && this.fileRead - this.decodedBytes < 3) this.readRaw();
    const b = this.bytes;
    const p = this.decodedBytes;
    const avail = this.fileRead - p;
    if (avail >= 2 && b[p] === 0xff && b[p + 1] === 0xfe) {
      this.encoding = 'utf16le';
      this.decodedBytes += 2;
    } else if (avail >= 2 && b[p] === 0xfe && b[p + 1] === 0xff) {
      this.encoding = 'utf16be';
      this.decodedBytes += 2;
    } else if (avail >= 3 && b[p] === 0xef && b[p + 1] === 0xbb && b[p + 2] === 0xbf) {
      this.encoding = 'utf8';
      this.decodedBytes += 3;
    } else {
      this.encoding = 'utf8';
    }
  }

  private fail(problem: string): never {
    throw new YamlStop('reader', problem, undefined, undefined, '', this.byteOffsets[this.decodedBytes] ?? this.textLength);
  }

  private decodeRaw(): void {
    const b = this.bytes;
    while (this.decodedBytes !== this.fileRead) {
      const pos = this.decodedBytes;
      const rawUnread = this.fileRead - pos;
      let value: number;
      let width: number;
      if (this.encoding === 'utf8') {
        let octet = b[pos]!;
        if ((octet & 0x80) === 0) width = 1;
        else if ((octet & 0xe0) === 0xc0) width = 2;
        else if ((octet & 0xf0) === 0xe0) width = 3;
        else if ((octet & 0xf8) === 0xf0) width = 4;
        else this.fail('invalid leading UTF-8 octet');
        if (width > rawUnread) {
          if (this.eof) this.fail('incomplete UTF-8 octet sequence');
          return;
        }
        value = width === 1 ? octet & 0x7f : width === 2 ? octet & 0x1f : width === 3 ? octet & 0x0f : octet & 0x07;
        for (let k = 1; k < width; k++) {
          octet = b[pos + k]!;
          if ((octet & 0xc0) !== 0x80) this.fail('invalid trailing UTF-8 octet');
          value = (value << 6) + (octet & 0x3f);
        }
        if (!(width === 1 || (width === 2 && value >= 0x80) || (width === 3 && value >= 0x800) || (width === 4 && value >= 0x10000))) {
          this.fail('invalid length of a UTF-8 sequence');
        }
        if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) this.fail('invalid Unicode character');
      } else {
        const [low, high] = this.encoding === 'utf16le' ? [0, 1] : [1, 0];
        if (rawUnread < 2) {
          if (this.eof) this.fail('incomplete UTF-16 character');
          return;
        }
        value = b[pos + low]! + (b[pos + high]! << 8);
        if ((value & 0xfc00) === 0xdc00) this.fail('unexpected low surrogate area');
        if ((value & 0xfc00) === 0xd800) {
          width = 4;
          if (rawUnread < 4) {
            if (this.eof) this.fail('incomplete UTF-16 surrogate pair');
            return;
          }
          const value2 = b[pos + low + 2]! + (b[pos + high + 2]! << 8);
          if ((value2 & 0xfc00) !== 0xdc00) this.fail('expected low surrogate area');
          value = 0x10000 + ((value & 0x3ff) << 10) + (value2 & 0x3ff);
        } else {
          width = 2;
        }
      }
      const allowed =
        value === 0x09 ||
        value === 0x0a ||
        value === 0x0d ||
        (value >= 0x20 && value <= 0x7e) ||
        value === 0x85 ||
        (value >= 0xa0 && value <= 0xd7ff) ||
        (value >= 0xe000 && value <= 0xfffd) ||
        (value >= 0x10000 && value <= 0x10ffff);
      if (!allowed) this.fail('control characters are not allowed');
      this.offsets[this.chars.length] = this.byteOffsets[pos]!;
      this.chars.push(value);
      this.decodedBytes += width;
      this.offsets[this.chars.length] = this.byteOffsets[this.decodedBytes] ?? this.textLength;
    }
  }
}
