package io.rollcall.server.protocol;

/**
 * Walks a msgpack value's headers before it is decoded, without allocating: every declared length (str, bin,
 * ext) must fit in the bytes actually present, every declared element count must be coverable by them (each
 * element takes at least one byte), nesting stays within a depth, and the value must end exactly at the end of
 * the input. The decoder allocates what a header declares before it notices the input is short (an 11-byte
 * frame declaring 2 GiB of bin), so this runs first: the memory a decode can take is then bounded by its
 * input's size. Iterative, so hostile nesting cannot overflow the stack.
 */
final class MsgpackBounds {
    private MsgpackBounds() {}

    /** Throws 40000 unless {@code b} holds exactly one well-formed msgpack value nested at most {@code maxDepth}. */
    static void check(byte[] b, int maxDepth) {
        // pending[d]: elements (a map entry counts as two) still to read in the container open at depth d.
        long[] pending = new long[maxDepth + 1];
        int depth = 0;
        pending[0] = 1;
        int i = 0;
        int n = b.length;
        while (depth >= 0) {
            if (pending[depth] == 0) {
                depth--;
                continue;
            }
            pending[depth]--;
            if (i >= n) {
                throw malformed("msgpack value is truncated");
            }
            int t = b[i++] & 0xff;
            long skip = 0;
            long children = 0;
            if (t <= 0x7f || t >= 0xe0 || t == 0xc0 || t == 0xc2 || t == 0xc3) {
                skip = 0; // fixint, negative fixint, nil, false, true
            } else if (t >= 0x80 && t <= 0x8f) {
                children = 2L * (t & 0x0f);
                skip = 0;
            } else if (t >= 0x90 && t <= 0x9f) {
                children = t & 0x0f;
                skip = 0;
            } else if (t >= 0xa0 && t <= 0xbf) {
                skip = t & 0x1f;
            } else {
                switch (t) {
                    case 0xc4, 0xd9 -> skip = length(b, i, 1);
                    case 0xc5, 0xda -> skip = length(b, i, 2);
                    case 0xc6, 0xdb -> skip = length(b, i, 4);
                    case 0xc7 -> skip = length(b, i, 1) + 1;
                    case 0xc8 -> skip = length(b, i, 2) + 1;
                    case 0xc9 -> skip = length(b, i, 4) + 1;
                    case 0xca -> skip = 4;
                    case 0xcb -> skip = 8;
                    case 0xcc, 0xd0 -> skip = 1;
                    case 0xcd, 0xd1 -> skip = 2;
                    case 0xce, 0xd2 -> skip = 4;
                    case 0xcf, 0xd3 -> skip = 8;
                    case 0xd4 -> skip = 2;
                    case 0xd5 -> skip = 3;
                    case 0xd6 -> skip = 5;
                    case 0xd7 -> skip = 9;
                    case 0xd8 -> skip = 17;
                    case 0xdc -> children = length(b, i, 2);
                    case 0xdd -> children = length(b, i, 4);
                    case 0xde -> children = 2 * length(b, i, 2);
                    case 0xdf -> children = 2 * length(b, i, 4);
                    default -> throw malformed("invalid msgpack type byte 0x" + Integer.toHexString(t));
                }
                i += headerBytes(t);
            }
            if (skip > n - i) {
                throw malformed("msgpack header declares " + skip + " bytes; only " + (n - i) + " follow");
            }
            i += (int) skip;
            if (children > 0) {
                if (children > n - i) {
                    throw malformed("msgpack header declares " + children + " elements; only " + (n - i) + " bytes follow");
                }
                if (depth == maxDepth) {
                    throw malformed("msgpack nesting deeper than " + maxDepth);
                }
                pending[++depth] = children;
            }
        }
        if (i != n) {
            throw malformed("trailing bytes after the msgpack value");
        }
    }

    /** Bytes of length field after the type byte. */
    private static int headerBytes(int t) {
        return switch (t) {
            case 0xc4, 0xd9, 0xc7 -> 1;
            case 0xc5, 0xda, 0xc8, 0xdc, 0xde -> 2;
            case 0xc6, 0xdb, 0xc9, 0xdd, 0xdf -> 4;
            default -> 0;
        };
    }

    /** An unsigned big-endian length of {@code size} bytes at {@code at}. */
    private static long length(byte[] b, int at, int size) {
        if (size > b.length - at) {
            throw malformed("msgpack header is truncated");
        }
        long v = 0;
        for (int k = 0; k < size; k++) {
            v = (v << 8) | (b[at + k] & 0xff);
        }
        return v;
    }

    private static AblyException malformed(String why) {
        return new AblyException(40000, 400, "Malformed message: " + why);
    }
}
