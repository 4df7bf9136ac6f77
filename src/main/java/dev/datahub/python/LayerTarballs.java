package dev.datahub.python;

import dev.datahub.DataHubException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Reads the dist-info files of a site-packages directory out of image layer tarballs (gzip or
 * plain tar, bottom layer first), honouring OCI whiteouts and opaque directories, so the result is
 * the merged view a container would see. A minimal tar reader: ustar (with prefix), GNU long names
 * and PAX {@code path} records; only {@code <sitePackages>/*.dist-info/METADATA|RECORD} are kept.
 */
final class LayerTarballs {

  private LayerTarballs() {}

  static Map<String, String> distInfoFiles(String sitePackages, List<Path> layers) {
    String sp = sitePackages.endsWith("/") ? sitePackages.substring(0, sitePackages.length() - 1) : sitePackages;
    TreeMap<String, String> merged = new TreeMap<>();
    for (Path layer : layers) {
      List<String> whiteouts = new ArrayList<>();
      List<String> opaque = new ArrayList<>();
      Map<String, String> added = new TreeMap<>();
      try (InputStream raw = new BufferedInputStream(Files.newInputStream(layer), 1 << 16)) {
        raw.mark(2);
        boolean gzip = raw.read() == 0x1f & raw.read() == 0x8b;
        raw.reset();
        InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
        read(in, sp, whiteouts, opaque, added);
      } catch (IOException e) {
        throw new DataHubException("cannot read base image layer " + layer + ": " + e.getMessage()
            + " — delete the layer cache and build again (only gzip and plain tar layers are supported)");
      }
      for (String dir : opaque) {
        merged.keySet().removeIf(p -> p.startsWith(dir + "/"));
      }
      for (String w : whiteouts) {
        merged.keySet().removeIf(p -> p.equals(w) || p.startsWith(w + "/"));
      }
      merged.putAll(added);
    }
    return merged;
  }

  private static void read(InputStream in, String sp, List<String> whiteouts, List<String> opaque,
      Map<String, String> added) throws IOException {
    byte[] header = new byte[512];
    String longName = null;
    String paxPath = null;
    while (readFully(in, header)) {
      if (isZero(header)) {
        return;
      }
      String name = text(header, 0, 100);
      String prefix = text(header, 345, 155);
      boolean ustar = text(header, 257, 5).equals("ustar");
      if (ustar && !prefix.isEmpty() && header[156] != 'L') {
        name = prefix + "/" + name;
      }
      long size = size(header);
      char type = (char) header[156];
      if (type == 'L') {
        longName = text(readBytes(in, size), 0, (int) size);
        continue;
      }
      if (type == 'x') {
        paxPath = paxPath(readBytes(in, size));
        continue;
      }
      if (type == 'g') {
        skip(in, size);
        continue;
      }
      String path = normalize(paxPath != null ? paxPath : longName != null ? longName : name);
      paxPath = null;
      longName = null;
      String base = path.substring(path.lastIndexOf('/') + 1);
      String parent = path.substring(0, Math.max(path.lastIndexOf('/'), 0));
      if (base.equals(".wh..wh..opq")) {
        opaque.add(parent);
      } else if (base.startsWith(".wh.")) {
        whiteouts.add(parent + "/" + base.substring(4));
      } else if ((type == '0' || type == '\0') && wanted(path, sp)) {
        added.put(path, new String(readBytes(in, size), StandardCharsets.UTF_8));
        continue;
      }
      skip(in, size);
    }
  }

  private static boolean wanted(String path, String sp) {
    if (!path.startsWith(sp + "/")) {
      return false;
    }
    String[] parts = path.substring(sp.length() + 1).split("/");
    return parts.length == 2 && parts[0].endsWith(".dist-info") && (parts[1].equals("METADATA") || parts[1].equals("RECORD"));
  }

  private static String normalize(String p) {
    String s = p;
    while (s.startsWith("./")) {
      s = s.substring(2);
    }
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.startsWith("/") ? s : "/" + s;
  }

  /** The {@code path} record of a PAX extended header: lines of {@code "<len> <key>=<value>\n"}, len in bytes. */
  private static String paxPath(byte[] data) {
    String path = null;
    int i = 0;
    while (i < data.length) {
      int space = i;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      if (space >= data.length) {
        break;
      }
      int len = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII).trim());
      if (len <= 0 || i + len > data.length) {
        break;
      }
      String record = new String(data, space + 1, i + len - space - 2, StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq > 0 && record.substring(0, eq).equals("path")) {
        path = record.substring(eq + 1);
      }
      i += len;
    }
    return path;
  }

  private static long size(byte[] h) {
    if ((h[124] & 0x80) != 0) { // base-256 for large sizes
      long v = 0;
      for (int i = 125; i < 136; i++) {
        v = (v << 8) | (h[i] & 0xff);
      }
      return v;
    }
    String octal = text(h, 124, 12).trim();
    return octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
  }

  private static String text(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && end < b.length && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean readFully(InputStream in, byte[] buf) throws IOException {
    int n = in.readNBytes(buf, 0, buf.length);
    if (n == 0) {
      return false;
    }
    if (n < buf.length) {
      throw new IOException("truncated tar header");
    }
    return true;
  }

  private static byte[] readBytes(InputStream in, long size) throws IOException {
    if (size > 64L << 20) {
      throw new IOException("dist-info entry of " + size + " bytes is implausibly large");
    }
    byte[] data = in.readNBytes((int) size);
    if (data.length < size) {
      throw new IOException("truncated tar entry");
    }
    skipPadding(in, size);
    return data;
  }

  private static void skip(InputStream in, long size) throws IOException {
    long padded = (size + 511) / 512 * 512;
    in.skipNBytes(padded);
  }

  private static void skipPadding(InputStream in, long size) throws IOException {
    long pad = (512 - size % 512) % 512;
    in.skipNBytes(pad);
  }
}
