package dev.datahub.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.datahub.DataHubException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one writer of the results under {@code target/datahub/} ({@code image.json}, {@code release/*.json}, the plan's
 * manifest, the smoke-test reports) that the next goal and CI read. Every file appears whole or not at all (written
 * beside its place, then moved), so a reader never meets half a result; every JSON result has one format.
 */
public final class ResultFiles {

  /** The one configuration of the JSON results: indented, as CI logs and people read them. Readers use it too. */
  public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultFiles() {}

  /** Writes {@code value} as JSON (plus a final newline) to {@code file}; its directory is created if missing. */
  public static void writeJson(Path file, Object value) {
    String json;
    try {
      json = JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
    writeText(file, json + "\n");
  }

  /** Writes {@code text} (UTF-8) to {@code file}; its directory is created if missing. */
  public static void writeText(Path file, String text) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      try {
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new DataHubException("cannot write " + file + ": " + e.getMessage()
          + " — check that the build directory is writable");
    }
  }

  /**
   * Appends {@code markdown} to a job summary file such as {@code $GITHUB_STEP_SUMMARY} (created if missing); hubs built
   * in parallel append one at a time.
   */
  public static void appendSummary(Path file, String markdown) {
    synchronized (ResultFiles.class) {
      try {
        Files.writeString(file, markdown + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new DataHubException("cannot append to the job summary " + file + ": " + e.getMessage()
            + " — check that $GITHUB_STEP_SUMMARY names a writable file");
      }
    }
  }

  /** Removes a result of an earlier run that must not outlive this one (e.g. a stale "passed" before a new test). */
  public static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new DataHubException("cannot delete " + file + ": " + e.getMessage()
          + " — check that the build directory is writable");
    }
  }
}
