package dev.datahub.python;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the Unix permission bits that {@code java.util.zip} hides: the high 16 bits of each central
 * directory entry's external attributes. Wheels carry executable bits there.
 */
final class ZipModes {

  private ZipModes() {}

  /** Entry name → permission bits (e.g. 0755); entries without Unix attributes are absent. */
  static Map<String, Integer> read(Path zip) throws IOException {
    Map<String, Integer> modes = new HashMap<>();
    try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.READ)) {
      long size = ch.size();
      int tail = (int) Math.min(size, 65_557);
      ByteBuffer end = ByteBuffer.allocate(tail).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(end, size - tail);
      int eocd = -1;
      for (int i = tail - 22; i >= 0; i--) {
        if (end.getInt(i) == 0x06054b50) {
          eocd = i;
          break;
        }
      }
      if (eocd < 0) {
        return modes;
      }
      long cdSize = Integer.toUnsignedLong(end.getInt(eocd + 12));
      long cdOffset = Integer.toUnsignedLong(end.getInt(eocd + 16));
      if (cdOffset == 0xFFFFFFFFL || cdSize > Integer.MAX_VALUE) {
        return modes; // ZIP64: modes unknown, callers fall back to defaults
      }
      ByteBuffer cd = ByteBuffer.allocate((int) cdSize).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(cd, cdOffset);
      int p = 0;
      while (p + 46 <= cdSize && cd.getInt(p) == 0x02014b50) {
        int madeBy = Short.toUnsignedInt(cd.getShort(p + 4)) >> 8;
        int nameLen = Short.toUnsignedInt(cd.getShort(p + 28));
        int extraLen = Short.toUnsignedInt(cd.getShort(p + 30));
        int commentLen = Short.toUnsignedInt(cd.getShort(p + 32));
        long external = Integer.toUnsignedLong(cd.getInt(p + 38));
        byte[] name = new byte[nameLen];
        cd.get(p + 46, name);
        int unix = (int) (external >>> 16);
        if (madeBy == 3 && unix != 0) { // 3 = Unix
          modes.put(new String(name, StandardCharsets.UTF_8), unix & 0777);
        }
        p += 46 + nameLen + extraLen + commentLen;
      }
    }
    return modes;
  }
}
