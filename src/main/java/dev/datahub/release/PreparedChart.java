package dev.datahub.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datahub.DataHubException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A private copy of the chart as Helm must see it, in a temp directory deleted on {@link #close()}: unpacked (a
 * repository or OCI chart is fetched and verified first), its dependencies in {@code charts/} (fetched and verified
 * by {@link ChartDependencies}, unpacked), and a {@code values.schema.json} next to every {@code values.schema.yaml}
 * that has none — z2jh's git source ships only the YAML one, and Helm reads only the JSON one. The configured chart is
 * never changed; its digest is taken from the original.
 */
final class PreparedChart implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path tempRoot;
  private final Path directory;
  private final String schema;
  private final List<String> fetched;
  private final String contentDigest;

  private PreparedChart(Path tempRoot, Path directory, String schema, List<String> fetched, String contentDigest) {
    this.tempRoot = tempRoot;
    this.directory = directory;
    this.schema = schema;
    this.fetched = fetched;
    this.contentDigest = contentDigest;
  }

  /** @param cache where verified dependency and chart archives are kept between builds */
  static PreparedChart of(ChartSource chart, Path cache) {
    Path temp = null;
    try {
      temp = Files.createTempDirectory("datahub-chart-");
      Path dir = temp.resolve(chart.name());
      String base;
      if (chart.kind() == ChartSource.Kind.LOCAL) {
        base = ChartContent.ofLocal(Path.of(chart.location()));
        copyTree(Path.of(chart.location()), dir);
      } else {
        // Downloaded afresh and verified (index or manifest digest, <chart><digest>): the bytes Helm gets are the
        // bytes the digest names; a chart republished under the same version changes it.
        byte[] bytes = chart.kind() == ChartSource.Kind.OCI ? OciChartRegistry.download(chart)
            : ChartRepository.download(chart);
        base = ChartContent.ofArchive(bytes);
        Path archive = temp.resolve(chart.name() + ".tgz");
        Files.write(archive, bytes);
        unpack(archive, dir);
      }
      List<String> fetched = new ChartDependencies(cache).resolve(dir);
      unpackSubcharts(dir);
      String schema = convertSchemas(dir);
      // Dependencies fetched from elsewhere are part of what Helm deploys, so of the digest (each names its archive's).
      String digest = fetched.isEmpty() ? base : Hashing.sha256(base + "\n" + String.join("\n", fetched));
      return new PreparedChart(temp, dir, schema, fetched, digest);
    } catch (IOException e) {
      deleteTree(temp);
      throw new DataHubException("cannot prepare chart " + chart.describe() + ": " + e.getMessage()
          + " — check java.io.tmpdir and the chart");
    } catch (RuntimeException e) {
      deleteTree(temp);
      throw e;
    }
  }

  Path directory() {
    return directory;
  }

  /** Which schema Helm validates the values against, or null when the chart has none. */
  String schema() {
    return schema;
  }

  /**
   * What the promotion gate compares ({@link ChartSource#digest()}): the local chart's files ({@link ChartContent}) or
   * the verified archive's digest, combined with the digests of the dependencies fetched into {@code charts/}.
   */
  String contentDigest() {
    return contentDigest;
  }

  /** Dependencies that were not in {@code charts/}, each {@code name version from where}. */
  List<String> fetchedDependencies() {
    return fetched;
  }

  @Override
  public void close() {
    deleteTree(tempRoot);
  }

  /**
   * Writes values.schema.json from values.schema.yaml where only the YAML one exists; describes the schemas Helm will
   * read (the chart's, then its subcharts'), or returns null when there are none.
   */
  private static String convertSchemas(Path root) throws IOException {
    List<Path> charts = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(p -> p.getFileName().toString().equals("Chart.yaml")).map(Path::getParent).sorted()
          .forEach(charts::add);
    }
    List<String> described = new ArrayList<>();
    for (Path chart : charts) {
      Path json = chart.resolve("values.schema.json");
      Path yaml = chart.resolve("values.schema.yaml");
      String where = chart.equals(root) ? "" : root.relativize(chart) + "/";
      if (Files.isRegularFile(json)) {
        described.add(where + "values.schema.json");
      } else if (Files.isRegularFile(yaml)) {
        Object schema;
        try {
          schema = Values.YAML.readValue(yaml.toFile(), Object.class);
        } catch (IOException e) {
          throw new DataHubException(where + "values.schema.yaml of chart " + root.getFileName() + " is not valid YAML"
              + " (" + HelmDeployer.oneLine(e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                  ? j.getOriginalMessage() : e.getMessage()) + ") — fix the schema");
        }
        if (!(schema instanceof Map<?, ?>)) {
          throw new DataHubException(where + "values.schema.yaml of chart " + root.getFileName()
              + " is not a JSON schema object — fix the schema");
        }
        Files.writeString(json, JSON.writeValueAsString(schema));
        described.add(where + "values.schema.yaml (converted to JSON for Helm)");
      }
    }
    return described.isEmpty() ? null : String.join(", ", described);
  }

  /** Subchart archives become directories, so their templates can be listed (Helm loads both forms). */
  private static void unpackSubcharts(Path chart) throws IOException {
    Path charts = chart.resolve("charts");
    if (!Files.isDirectory(charts)) {
      return;
    }
    List<Path> archives;
    try (Stream<Path> list = Files.list(charts)) {
      archives = list.filter(p -> p.getFileName().toString().endsWith(".tgz")).sorted().toList();
    }
    for (Path archive : archives) {
      Path unpacked = Files.createTempDirectory(charts, ".unpack-");
      String name = unpack(archive, unpacked);
      Path target = charts.resolve(name);
      if (Files.exists(target)) {
        throw new DataHubException("charts/ of chart " + chart.getFileName() + " holds " + name + " twice (a directory"
            + " and " + archive.getFileName() + ") — keep one");
      }
      Files.move(unpacked, target);
      Files.delete(archive);
      unpackSubcharts(target);
    }
  }

  /**
   * Unpacks a chart archive into {@code target} without its top directory; returns that directory's name (the
   * chart's name).
   */
  static String unpack(Path archive, Path target) throws IOException {
    Files.createDirectories(target);
    Path base = target.toAbsolutePath().normalize();
    String top = null;
    try (InputStream in = Files.newInputStream(archive);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String name = entry.getName();
        int slash = name.indexOf('/');
        if (slash < 0) {
          continue;
        }
        top = top == null ? name.substring(0, slash) : top;
        Path out = base.resolve(name.substring(slash + 1)).normalize();
        if (!out.startsWith(base) || !name.startsWith(top + "/")) {
          throw new DataHubException("chart archive " + archive.getFileName() + " has an entry outside its chart ("
              + name + ") — refusing it");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else if (entry.isFile()) {
          Files.createDirectories(out.getParent());
          Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    if (top == null || !Files.isRegularFile(base.resolve("Chart.yaml"))) {
      throw new DataHubException("chart archive " + archive.getFileName() + " holds no chart (no Chart.yaml) — "
          + "rebuild it with helm package");
    }
    return top;
  }

  static void copyTree(Path from, Path to) throws IOException {
    // Links followed as Helm's loader follows them (a subchart linked into charts/), as ChartContent hashes them.
    try (Stream<Path> paths = Files.walk(from, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path rel = from.relativize(p);
        if (rel.getNameCount() > 0 && rel.getName(0).toString().equals(".git")) {
          continue;
        }
        Path out = to.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(p, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // a temp file left behind is removed with java.io.tmpdir
        }
      });
    } catch (IOException ignored) {
      // see above
    }
  }
}
