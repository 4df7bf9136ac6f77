package dev.datahub.python;

import dev.datahub.DataHubException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A requirements lock as {@code pip-compile --generate-hashes} and {@code uv pip compile
 * --generate-hashes} write it: one exact pin per logical line, {@code --hash=sha256:…} options,
 * backslash continuations, comments and environment markers. Anything looser is refused, since the
 * lock is the only resolver there is.
 */
public record LockFile(Path path, List<LockedRequirement> requirements) {

  private static final Pattern COMMENT = Pattern.compile("(^|\\s+)#.*$");
  private static final Pattern HASH = Pattern.compile("(?:^|\\s)--hash[=\\s]\\s*(\\S+)");
  private static final Pattern PIN = Pattern.compile(
      "([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\\s*(?:\\[([^\\]]*)\\])?\\s*(===|==)\\s*([^\\s;]+)\\s*(?:;(.*))?");
  private static final Set<String> IGNORED_OPTIONS = Set.of(
      "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--trusted-host", "--prefer-binary",
      "--only-binary", "--no-binary", "--pre", "--no-index");

  public LockFile {
    requirements = List.copyOf(requirements);
  }

  /**
   * One pinned line.
   *
   * @param line the line number where the requirement starts
   * @param hashes sha256 hex digests the lock allows (any one of them may be installed)
   * @param marker the environment marker, or null
   */
  public record LockedRequirement(
      String name, String version, Set<String> extras, List<String> hashes, Marker marker, int line) {

    public LockedRequirement {
      extras = Set.copyOf(extras);
      hashes = List.copyOf(hashes);
    }

    public String normalizedName() {
      return PackageName.normalize(name);
    }

    public Pep440Version pep440() {
      return Pep440Version.parse(version);
    }
  }

  public static LockFile read(Path path) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new DataHubException("Python lock file " + path + " does not exist — create it with "
          + "'pip-compile --generate-hashes requirements.in' or 'uv pip compile --generate-hashes requirements.in -o "
          + path.getFileName() + "', or fix <python><requirements>");
    } catch (IOException e) {
      throw new DataHubException("cannot read Python lock file " + path + ": " + e.getMessage());
    }
    return parse(path, text);
  }

  public static LockFile parse(Path path, String text) {
    List<LockedRequirement> out = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    StringBuilder logical = new StringBuilder();
    int start = 0;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (logical.length() == 0) {
        start = i + 1;
      }
      // A comment ends the logical line's content but a trailing backslash before it still continues.
      String content = COMMENT.matcher(line).replaceAll("");
      if (content.endsWith("\\")) {
        logical.append(content, 0, content.length() - 1).append(' ');
        if (i < lines.length - 1) {
          continue;
        }
      } else {
        logical.append(content);
      }
      String entry = logical.toString().trim();
      logical.setLength(0);
      if (!entry.isEmpty()) {
        LockedRequirement r = parseEntry(path, start, entry);
        if (r != null) {
          out.add(r);
        }
      }
    }
    return new LockFile(path, out);
  }

  private static LockedRequirement parseEntry(Path path, int line, String entry) {
    String where = path.getFileName() + ":" + line;
    if (entry.startsWith("-")) {
      String option = entry.split("[=\\s]", 2)[0];
      if (IGNORED_OPTIONS.contains(option)) {
        return null; // index options in the lock are ignored: <index>/<findLinks> in the POM decide
      }
      throw new DataHubException("Python lock " + where + ": option '" + option + "' is not supported — "
          + "the lock must list every package as name==version with --hash=sha256:… (no -e, -r, -c, URLs)");
    }
    List<String> hashes = new ArrayList<>();
    Matcher h = HASH.matcher(entry);
    StringBuilder rest = new StringBuilder();
    int last = 0;
    while (h.find()) {
      rest.append(entry, last, h.start());
      last = h.end();
      String value = h.group(1);
      int colon = value.indexOf(':');
      String algo = colon < 0 ? "" : value.substring(0, colon).toLowerCase(Locale.ROOT);
      String hex = colon < 0 ? "" : value.substring(colon + 1).toLowerCase(Locale.ROOT);
      if (!algo.equals("sha256") || !hex.matches("[0-9a-f]{64}")) {
        throw new DataHubException("Python lock " + where + ": '--hash=" + value + "' is not a sha256 hash — "
            + "regenerate the lock with 'pip-compile --generate-hashes' (sha256 is the only algorithm accepted)");
      }
      hashes.add(hex);
    }
    rest.append(entry.substring(last));
    String requirement = rest.toString().trim();
    Matcher m = PIN.matcher(requirement);
    if (!m.matches()) {
      throw new DataHubException("Python lock " + where + ": '" + shorten(requirement) + "' is not an exact pin "
          + "(name==version) — the lock must be generated, e.g. 'pip-compile --generate-hashes' or "
          + "'uv pip compile --generate-hashes'; URLs, editables and ranges are not supported");
    }
    String name = m.group(1);
    String version = m.group(4);
    if (m.group(3).equals("==") && (version.contains("*") || Pep440Version.tryParse(version).isEmpty())) {
      throw new DataHubException("Python lock " + where + ": '" + version + "' is not an exact PEP 440 version for "
          + name + " — pin one version, e.g. " + name + "==1.2.3");
    }
    if (hashes.isEmpty()) {
      throw new DataHubException("Python lock " + where + ": " + name + "==" + version + " has no --hash — "
          + "regenerate the lock with --generate-hashes (every line needs at least one --hash=sha256:…)");
    }
    Set<String> extras = new LinkedHashSet<>();
    if (m.group(2) != null) {
      for (String e : m.group(2).split(",")) {
        if (!e.isBlank()) {
          extras.add(PackageName.normalize(e));
        }
      }
    }
    Marker marker = null;
    if (m.group(5) != null && !m.group(5).isBlank()) {
      try {
        marker = Marker.parse(m.group(5).trim());
      } catch (IllegalArgumentException e) {
        throw new DataHubException("Python lock " + where + ": bad environment marker: " + e.getMessage()
            + " — fix the marker after ';' (PEP 508)");
      }
    }
    return new LockedRequirement(name, version, extras, hashes, marker, line);
  }

  private static String shorten(String s) {
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
