package dev.datahub.release;

import dev.datahub.DataHubException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the Helm chart comes from: a local chart directory, a chart repository (URL + name + version) or an
 * {@code oci://} reference (+ version).
 *
 * <p>The digest identifies the chart content for the promotion gate: for a local directory it is the SHA-256 of every
 * file (path and bytes, sorted); for a repository or OCI chart, whose published versions are immutable, it is the
 * SHA-256 of the coordinates.
 */
public record ChartSource(Kind kind, String location, String name, String version) {

  public enum Kind { LOCAL, REPOSITORY, OCI }

  private static final Pattern CHART_NAME = Pattern.compile("(?m)^name:\\s*['\"]?([^'\"\\s]+)");
  private static final Pattern CHART_VERSION = Pattern.compile("(?m)^version:\\s*['\"]?([^'\"\\s]+)");

  public static ChartSource local(Path directory) {
    Path chartYaml = directory.resolve("Chart.yaml");
    if (!Files.isRegularFile(chartYaml)) {
      throw new DataHubException("no Chart.yaml in " + directory + " — set <chart><directory> to a Helm chart directory");
    }
    try {
      String text = Files.readString(chartYaml, StandardCharsets.UTF_8);
      return new ChartSource(Kind.LOCAL, directory.toAbsolutePath().normalize().toString(),
          match(CHART_NAME, text, chartYaml), match(CHART_VERSION, text, chartYaml));
    } catch (IOException e) {
      throw new DataHubException("cannot read " + chartYaml + ": " + e.getMessage());
    }
  }

  public static ChartSource repository(String url, String name, String version) {
    if (url == null || name == null || version == null) {
      throw new DataHubException("a repository chart needs <repository>, <name> and <version> — pin the version so "
          + "staging and prod get the same chart");
    }
    return new ChartSource(Kind.REPOSITORY, url, name, version);
  }

  public static ChartSource oci(String reference, String version) {
    if (version == null) {
      throw new DataHubException("the OCI chart " + reference + " needs a <version> — pin it so staging and prod get "
          + "the same chart");
    }
    String name = reference.substring(reference.lastIndexOf('/') + 1);
    return new ChartSource(Kind.OCI, reference, name, version);
  }

  private static String match(Pattern pattern, String text, Path file) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      throw new DataHubException(file + " has no " + pattern.pattern().replaceAll("[^a-z]", "") + " — fix the chart");
    }
    return m.group(1);
  }

  public String digest() {
    if (kind != Kind.LOCAL) {
      return Hashing.sha256(kind + "|" + location + "|" + name + "|" + version);
    }
    Path root = Path.of(location);
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> sorted = files.filter(Files::isRegularFile).sorted().toList();
      Hashing.Digest digest = Hashing.digest();
      for (Path file : sorted) {
        digest.update(root.relativize(file).toString().replace('\\', '/'));
        digest.update(Files.readAllBytes(file));
      }
      return digest.hex();
    } catch (IOException e) {
      throw new DataHubException("cannot read chart " + location + ": " + e.getMessage());
    }
  }

  public String describe() {
    return name + "-" + version + (kind == Kind.LOCAL ? " (" + location + ")" : " from " + location);
  }
}
