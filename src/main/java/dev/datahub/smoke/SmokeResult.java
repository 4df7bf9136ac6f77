package dev.datahub.smoke;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.datahub.DataHubException;
import dev.datahub.Fix;
import dev.datahub.output.ResultFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * What a smoke test found, as written to {@code target/datahub/smoke-test/result.json}. The promote
 * gate trusts {@link #passed()} together with {@link #observedImage()}.
 *
 * @param environment the environment tested, e.g. {@code staging}
 * @param hubUrl the hub's public URL
 * @param hubVersion the JupyterHub version reported by {@code GET /hub/api}, null if unreachable
 * @param user the test user
 * @param status {@code passed} or {@code failed}
 * @param expectedImage the image the server must run ({@code repo@sha256:…}), null when none is known
 * @param observedImage {@code JUPYTER_IMAGE_SPEC} as seen in the kernel, null when not set or not reached
 * @param startedAt ISO-8601 instant
 * @param durationMillis wall time of the whole test, cleanup included
 * @param spawnMillis from the start request until the server was ready (0 when not reached)
 * @param kernelStartMillis from the kernel start request until its WebSocket was open, which the
 *     server allows only once the kernel answers (0 when not reached)
 * @param checks each check in order
 * @param failure the first cause of failure in one line, null when passed
 * @param cleanup {@code done}, {@code kept} (keepServerOnFailure) or {@code failed: …}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SmokeResult(
    String environment,
    String hubUrl,
    String hubVersion,
    String user,
    String status,
    String expectedImage,
    String observedImage,
    String startedAt,
    long durationMillis,
    long spawnMillis,
    long kernelStartMillis,
    List<CheckResult> checks,
    String failure,
    String cleanup) {

  public static final String FILE_NAME = "result.json";
  public static final String PASSED = "passed";
  public static final String FAILED = "failed";

  public SmokeResult {
    checks = checks == null ? List.of() : List.copyOf(checks);
  }

  @JsonIgnore
  public boolean passed() {
    return PASSED.equals(status);
  }

  public String toJson() {
    try {
      return ResultFiles.JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads {@code result.json} from {@code dir} (e.g. {@code target/datahub/smoke-test}). */
  public static SmokeResult readFrom(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    try {
      return ResultFiles.JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), SmokeResult.class);
    } catch (NoSuchFileException e) {
      throw new DataHubException("no smoke-test result at " + file + " — run {} first", Fix.goal("smoke-test"));
    } catch (IOException e) {
      throw new DataHubException("cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse("")
          + " — run {} again", Fix.goal("smoke-test"));
    }
  }
}
