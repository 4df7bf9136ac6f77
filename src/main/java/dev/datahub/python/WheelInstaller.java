package dev.datahub.python;

import dev.datahub.DataHubException;
import dev.datahub.image.ImageLayer.ImageFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Installs a wheel the way PEP 427 says, into a staging directory that mirrors the image: root and
 * {@code .data/purelib|platlib} into site-packages, {@code .data/scripts} into the scripts directory
 * with {@code #!python} rewritten, {@code .data/headers} and {@code .data/data} under the prefix,
 * entry points as launcher scripts, then {@code INSTALLER} and a new {@code RECORD}. The output is a
 * function of the wheel bytes and the spec only, so layer digests are reproducible.
 */
final class WheelInstaller {

  static final String INSTALLER = "datahub";

  private final PythonSpec spec;

  WheelInstaller(PythonSpec spec) {
    this.spec = spec;
  }

  /** A wheel opened for reading: its dist-info directory and metadata. */
  static final class WheelArchive implements AutoCloseable {
    final Path file;
    final ZipFile zip;
    final String distInfo;
    final WheelMetadata metadata;

    private WheelArchive(Path file, ZipFile zip, String distInfo, WheelMetadata metadata) {
      this.file = file;
      this.zip = zip;
      this.distInfo = distInfo;
      this.metadata = metadata;
    }

    static WheelArchive open(Path file, String normalizedName) {
      try {
        ZipFile zip = new ZipFile(file.toFile());
        List<String> distInfos = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
          int slash = e.getName().indexOf('/');
          if (slash > 0 && e.getName().substring(0, slash).endsWith(".dist-info")) {
            String dir = e.getName().substring(0, slash);
            if (!distInfos.contains(dir)) {
              distInfos.add(dir);
            }
          }
        }
        String distInfo = distInfos.stream()
            .filter(d -> PackageName.normalize(d.substring(0, d.indexOf('-') < 0 ? d.length() - 10 : d.indexOf('-')))
                .equals(normalizedName))
            .findFirst()
            .orElse(distInfos.size() == 1 ? distInfos.get(0) : null);
        if (distInfo == null || zip.getEntry(distInfo + "/METADATA") == null) {
          zip.close();
          throw new DataHubException("wheel " + file.getFileName() + " has no " + normalizedName
              + "-*.dist-info/METADATA — it is not a valid wheel; delete it from the cache/findLinks and rebuild it");
        }
        String meta = new String(zip.getInputStream(zip.getEntry(distInfo + "/METADATA")).readAllBytes(),
            StandardCharsets.UTF_8);
        return new WheelArchive(file, zip, distInfo, WheelMetadata.parse(meta));
      } catch (IOException e) {
        throw new DataHubException("cannot read wheel " + file + ": " + e.getMessage()
            + " — it is not a valid zip; delete it from the cache/findLinks and rebuild");
      }
    }

    String text(String name) throws IOException {
      ZipEntry e = zip.getEntry(distInfo + "/" + name);
      return e == null ? null : new String(zip.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
    }

    String dataDir() {
      return distInfo.substring(0, distInfo.length() - ".dist-info".length()) + ".data";
    }

    @Override
    public void close() {
      try {
        zip.close();
      } catch (IOException e) {
        // read-only; nothing to lose
      }
    }
  }

  /** A file written into the staging directory: where it goes in the image, and the SHA-256 of what was written. */
  private record Staged(String pathInImage, int mode, byte[] sha256, long size) {

    String recordHash() {
      return b64(sha256);
    }
  }

  /**
   * The staging directory of one install: creates each parent directory once (not a failed mkdir and a stat per file)
   * and copies through one buffer.
   */
  private static final class Stage {
    final Path root;
    private final java.util.Set<Path> directories = new java.util.HashSet<>();
    final byte[] buffer = new byte[1 << 16];
    /** Reset by every {@code digest()}; one per install instead of a provider look-up per file. */
    final MessageDigest sha256 = WheelCache.sha256();

    Stage(Path root) {
      this.root = root;
    }

    Path file(String pathInImage) throws IOException {
      Path p = root.resolve(pathInImage.substring(1));
      Path parent = p.getParent();
      if (directories.add(parent)) {
        Files.createDirectories(parent);
      }
      return p;
    }
  }

  static final String STAGED_MARKER = ".datahub-staged";

  /**
   * The staging directory for a wheel: named by package, version and a key over the wheel's hash
   * and every spec field that changes the installed bytes, so a directory can be reused as is.
   */
  Path stageRoot(Path workDir, String normalizedName, String version, String sha256) {
    String key = String.join("\n", "layout-1", sha256, spec.sitePackages(), spec.scriptsDir(), spec.pythonExecutable(),
        spec.prefix(), spec.shortPythonVersion());
    String hex = java.util.HexFormat.of().formatHex(WheelCache.sha256().digest(key.getBytes(StandardCharsets.UTF_8)));
    return workDir.resolve(normalizedName + "-" + version + "-" + hex.substring(0, 12));
  }

  /**
   * Reuses a complete staging directory from an earlier build (files untouched, so their
   * timestamps stay and an image builder's layer cache still hits), else installs afresh.
   */
  InstalledPackage installOrReuse(WheelArchive wheel, String name, String version, String sha256, Path stageRoot) {
    Path marker = stageRoot.resolve(STAGED_MARKER);
    try {
      if (Files.isRegularFile(marker)) {
        List<ImageFile> files = new ArrayList<>();
        boolean complete = true;
        for (String line : Files.readAllLines(marker, StandardCharsets.UTF_8)) {
          if (line.isEmpty()) {
            continue;
          }
          int space = line.indexOf(' ');
          String path = line.substring(space + 1);
          Path source = stageRoot.resolve(path.substring(1));
          if (!Files.isRegularFile(source)) {
            complete = false;
            break;
          }
          files.add(new ImageFile(source, path, Integer.parseInt(line.substring(0, space), 8)));
        }
        if (complete) {
          return new InstalledPackage(name, version, wheel.file.getFileName().toString(), sha256, files, List.of(), null);
        }
      }
      PythonPackages.deleteRecursively(stageRoot);
      InstalledPackage installed = install(wheel, name, version, sha256, stageRoot);
      StringBuilder manifest = new StringBuilder();
      for (ImageFile f : installed.files()) {
        manifest.append(Integer.toOctalString(f.mode())).append(' ').append(f.pathInImage()).append('\n');
      }
      Files.writeString(marker, manifest.toString(), StandardCharsets.UTF_8); // last: marks the directory complete
      return installed;
    } catch (IOException | RuntimeException e) {
      if (e instanceof DataHubException d) {
        throw d;
      }
      throw new DataHubException("cannot stage " + name + " " + version + " in " + stageRoot + ": " + e.getMessage()
          + " — delete " + stageRoot.getParent() + " and build again");
    }
  }

  /** Installs {@code wheel} into {@code stageRoot} (which must be empty or absent). */
  InstalledPackage install(WheelArchive wheel, String name, String version, String sha256, Path stageRoot) {
    String wheelName = wheel.file.getFileName().toString();
    try {
      Map<String, Integer> modes = ZipModes.read(wheel.file);
      Map<String, String[]> record = parseRecord(wheel.text("RECORD"));
      String wheelMeta = wheel.text("WHEEL");
      if (wheelMeta == null) {
        throw new DataHubException("wheel " + wheelName + " has no " + wheel.distInfo + "/WHEEL — it is not a valid wheel");
      }
      String wheelVersion = WheelMetadata.parse(wheelMeta.replace("Wheel-Version", "Version")).version();
      if (wheelVersion != null && !wheelVersion.startsWith("1.")) {
        throw new DataHubException("wheel " + wheelName + " has Wheel-Version " + wheelVersion
            + ", only 1.x is supported — use a wheel built by a current 'wheel'/'build'");
      }
      TreeMap<String, Staged> staged = new TreeMap<>();
      Stage stage = new Stage(stageRoot);
      List<ZipEntry> entries = new ArrayList<>(Collections.list(wheel.zip.entries()));
      entries.sort((a, b) -> a.getName().compareTo(b.getName()));
      String dataPrefix = wheel.dataDir() + "/";
      for (ZipEntry entry : entries) {
        String entryName = entry.getName();
        if (entry.isDirectory()) {
          continue;
        }
        checkSafe(wheelName, entryName);
        if (entryName.equals(wheel.distInfo + "/RECORD") || entryName.equals(wheel.distInfo + "/RECORD.jws")
            || entryName.equals(wheel.distInfo + "/RECORD.p7s") || entryName.equals(wheel.distInfo + "/INSTALLER")) {
          continue; // rewritten below; signatures no longer match a rewritten RECORD
        }
        String target;
        boolean script = false;
        if (entryName.startsWith(dataPrefix)) {
          String rest = entryName.substring(dataPrefix.length());
          int slash = rest.indexOf('/');
          String scheme = slash < 0 ? rest : rest.substring(0, slash);
          String sub = slash < 0 ? "" : rest.substring(slash + 1);
          target = switch (scheme) {
            case "purelib", "platlib" -> spec.sitePackages() + "/" + sub;
            case "scripts" -> spec.scriptsDir() + "/" + sub;
            case "headers" -> spec.prefix() + "/include/python" + spec.shortPythonVersion() + "/" + name + "/" + sub;
            case "data" -> (spec.prefix().equals("/") ? "" : spec.prefix()) + "/" + sub;
            default -> throw new DataHubException("wheel " + wheelName + " has an unknown data directory '" + scheme
                + "' — only purelib, platlib, scripts, headers and data are defined by PEP 427");
          };
          script = scheme.equals("scripts");
        } else {
          target = spec.sitePackages() + "/" + entryName;
        }
        int zipMode = modes.getOrDefault(entryName, 0644);
        int mode = script || (zipMode & 0111) != 0 ? 0755 : 0644;
        Staged s = extract(wheel, entry, record.get(entryName), target, mode, script, stage);
        staged.put(target, s);
      }
      for (Staged launcher : launchers(wheel, stage)) {
        staged.put(launcher.pathInImage(), launcher);
      }
      String distInfoPath = spec.sitePackages() + "/" + wheel.distInfo;
      staged.put(distInfoPath + "/INSTALLER", write(stage, distInfoPath + "/INSTALLER",
          (INSTALLER + "\n").getBytes(StandardCharsets.UTF_8), 0644));
      String recordPath = distInfoPath + "/RECORD";
      staged.remove(recordPath);
      StringBuilder rec = new StringBuilder();
      for (Staged s : staged.values()) {
        rec.append(csv(relativeToSitePackages(s.pathInImage()))).append(",sha256=").append(s.recordHash()).append(',')
            .append(s.size()).append('\n');
      }
      rec.append(csv(relativeToSitePackages(recordPath))).append(",,\n");
      staged.put(recordPath, write(stage, recordPath, rec.toString().getBytes(StandardCharsets.UTF_8), 0644));

      List<ImageFile> files = new ArrayList<>();
      java.util.HexFormat hex = java.util.HexFormat.of();
      for (Staged s : staged.values()) {
        files.add(new ImageFile(stageRoot.resolve(s.pathInImage().substring(1)), s.pathInImage(), s.mode(), null,
            hex.formatHex(s.sha256())));
      }
      return new InstalledPackage(name, version, wheelName, sha256, files, List.of(), null);
    } catch (IOException e) {
      throw new DataHubException("cannot install " + wheelName + " into " + stageRoot + ": " + e.getMessage()
          + " — check that the build directory is writable");
    }
  }

  private Staged extract(WheelArchive wheel, ZipEntry entry, String[] recorded, String target, int mode, boolean script,
      Stage stage) throws IOException {
    MessageDigest original = stage.sha256;
    byte[] content;
    try (InputStream in = wheel.zip.getInputStream(entry)) {
      if (script) {
        content = in.readAllBytes();
        original.update(content);
        content = rewriteShebang(content);
      } else {
        Path out = stage.file(target);
        long size = 0;
        byte[] buf = stage.buffer;
        try (OutputStream os = Files.newOutputStream(out)) {
          int n;
          while ((n = in.read(buf)) > 0) {
            original.update(buf, 0, n);
            os.write(buf, 0, n);
            size += n;
          }
        }
        byte[] digest = original.digest();
        verify(wheel, entry.getName(), recorded, b64(digest));
        return new Staged(target, mode, digest, size);
      }
    }
    verify(wheel, entry.getName(), recorded, b64(original.digest()));
    return write(stage, target, content, mode);
  }

  private static void verify(WheelArchive wheel, String entry, String[] recorded, String hash) {
    if (recorded != null && recorded.length > 1 && recorded[1].startsWith("sha256=")
        && !recorded[1].substring(7).replace("=", "").equals(hash)) {
      throw new DataHubException("wheel " + wheel.file.getFileName() + " is corrupt: " + entry
          + " does not match its RECORD hash — delete the wheel from the cache/findLinks and rebuild it");
    }
  }

  private byte[] rewriteShebang(byte[] content) {
    String prefix = new String(content, 0, Math.min(content.length, 9), StandardCharsets.ISO_8859_1);
    if (!prefix.startsWith("#!python")) {
      return content;
    }
    int eol = 0;
    while (eol < content.length && content[eol] != '\n') {
      eol++;
    }
    String first = new String(content, 0, eol, StandardCharsets.UTF_8).replace("\r", "");
    String args = first.startsWith("#!pythonw") ? first.substring(9) : first.substring(8);
    byte[] head = ("#!" + spec.pythonExecutable() + args).getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + head.length);
    out.writeBytes(head);
    out.write(content, eol, content.length - eol);
    return out.toByteArray();
  }

  /** console_scripts and gui_scripts from entry_points.txt, as pip's launcher scripts. */
  private List<Staged> launchers(WheelArchive wheel, Stage stage) throws IOException {
    List<Staged> out = new ArrayList<>();
    String text = wheel.text("entry_points.txt");
    if (text == null) {
      return out;
    }
    String section = "";
    for (String raw : text.split("\r?\n")) {
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1).trim();
        continue;
      }
      if (!section.equals("console_scripts") && !section.equals("gui_scripts")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String scriptName = line.substring(0, eq).trim();
      String ref = line.substring(eq + 1).replaceAll("\\[.*]", "").trim();
      int colon = ref.indexOf(':');
      if (colon <= 0 || scriptName.contains("/")) {
        throw new DataHubException("wheel " + wheel.file.getFileName() + " has an invalid entry point '" + line
            + "' — expected 'name = module:function'");
      }
      String module = ref.substring(0, colon).trim();
      String attr = ref.substring(colon + 1).trim();
      String importName = attr.contains(".") ? attr.substring(0, attr.indexOf('.')) : attr;
      String script = "#!" + spec.pythonExecutable() + "\n"
          + "# -*- coding: utf-8 -*-\n"
          + "import re\n"
          + "import sys\n"
          + "from " + module + " import " + importName + "\n"
          + "if __name__ == \"__main__\":\n"
          + "    sys.argv[0] = re.sub(r\"(-script\\.pyw|\\.exe)?$\", \"\", sys.argv[0])\n"
          + "    sys.exit(" + attr + "())\n";
      out.add(write(stage, spec.scriptsDir() + "/" + scriptName, script.getBytes(StandardCharsets.UTF_8), 0755));
    }
    return out;
  }

  private static Staged write(Stage stage, String pathInImage, byte[] content, int mode) throws IOException {
    Files.write(stage.file(pathInImage), content);
    return new Staged(pathInImage, mode, stage.sha256.digest(content), content.length);
  }

  private static void checkSafe(String wheelName, String entry) {
    if (entry.startsWith("/") || entry.contains("\\") || entry.contains("\0")
        || ("/" + entry + "/").contains("/../") || ("/" + entry + "/").contains("/./")) {
      throw new DataHubException("wheel " + wheelName + " has an unsafe path '" + entry
          + "' — refusing to install it; get the wheel from a trusted source");
    }
  }

  /** A path in the image relative to site-packages, as RECORD wants it (e.g. {@code ../../../bin/tool}). */
  String relativeToSitePackages(String pathInImage) {
    String[] base = spec.sitePackages().substring(1).split("/");
    String[] target = pathInImage.substring(1).split("/");
    int common = 0;
    while (common < base.length && common < target.length - 1 && base[common].equals(target[common])) {
      common++;
    }
    StringBuilder s = new StringBuilder();
    for (int i = common; i < base.length; i++) {
      s.append("../");
    }
    for (int i = common; i < target.length; i++) {
      s.append(target[i]).append(i == target.length - 1 ? "" : "/");
    }
    return s.toString();
  }

  static String b64(byte[] digest) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
  }

  private static String csv(String field) {
    return field.contains(",") || field.contains("\"") ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
  }

  /** RECORD rows by path; a minimal CSV reader (quotes, doubled quotes). */
  static Map<String, String[]> parseRecord(String text) {
    Map<String, String[]> rows = new HashMap<>();
    if (text == null) {
      return rows;
    }
    for (String line : text.split("\r?\n")) {
      if (line.isEmpty()) {
        continue;
      }
      List<String> fields = new ArrayList<>();
      StringBuilder f = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
            f.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            f.append(c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          fields.add(f.toString());
          f.setLength(0);
        } else {
          f.append(c);
        }
      }
      fields.add(f.toString());
      rows.put(fields.get(0), fields.toArray(String[]::new));
    }
    return rows;
  }
}
