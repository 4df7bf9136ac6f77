package dev.datahub.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datahub.DataHubException;
import dev.datahub.image.BuiltImage;
import dev.datahub.smoke.SmokeResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What one hub's {@code mvn verify} found, read from the files its goals left in {@code target/datahub/}:
 * {@code image.json} (build-image), {@code diff.json} (what the image changes against the image it was compared with),
 * {@code release/<env>-plan.json} (plan) and {@code image-test/result.json} (image-test, when it ran). Each part is null
 * when its file is not there.
 */
public record HubChange(String hub, BuiltImage image, Diff diff, List<Plan> plans, SmokeResult imageTest) {

  /** {@code target/datahub/diff.json}: {@code {"against": "…", "lines": ["…"]}}. */
  public record Diff(String against, List<String> lines) {}

  /** The part of {@code <env>-plan.json} a reviewer reads. */
  public record Plan(String environment, String chart, String image, int resources, List<String> images,
      boolean comparedWithCluster, Integer liveRevision, List<String> resourceChanges, List<String> valueChanges,
      List<String> notes) {}

  public static final String DIFF_FILE = "diff.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  public HubChange {
    plans = plans == null ? List.of() : List.copyOf(plans);
  }

  /** Reads what is there in a hub's {@code target/datahub}; a file that is there but unreadable fails with its name. */
  public static HubChange read(String hub, Path dir) {
    BuiltImage image = Files.isRegularFile(dir.resolve(BuiltImage.FILE_NAME)) ? BuiltImage.readFrom(dir) : null;
    Diff diff = null;
    if (Files.isRegularFile(dir.resolve(DIFF_FILE))) {
      JsonNode node = json(dir.resolve(DIFF_FILE));
      diff = new Diff(text(node, "against"), strings(node.get("lines")));
    }
    List<Plan> plans = new ArrayList<>();
    Path release = dir.resolve("release");
    if (Files.isDirectory(release)) {
      try (Stream<Path> files = Files.list(release)) {
        for (Path file : files.filter(f -> f.getFileName().toString().endsWith("-plan.json")).sorted().toList()) {
          JsonNode p = json(file);
          plans.add(new Plan(text(p, "environment"), text(p, "chart"), text(p, "image"),
              strings(p.get("renderedResources")).size(), strings(p.get("images")),
              p.path("comparedWithCluster").asBoolean(false),
              p.hasNonNull("liveRevision") ? p.get("liveRevision").asInt() : null, strings(p.get("resourceChanges")),
              strings(p.get("valueChanges")), strings(p.get("notes"))));
        }
      } catch (IOException e) {
        throw new DataHubException("cannot list " + release + ": " + e.getMessage() + " — check the build directory");
      }
    }
    Path imageTest = dir.resolve("image-test");
    SmokeResult tested = Files.isRegularFile(imageTest.resolve(SmokeResult.FILE_NAME))
        ? SmokeResult.readFrom(imageTest) : null;
    return new HubChange(hub, image, diff, plans, tested);
  }

  /**
   * Whether the image changes: {@code true}/{@code false} when a diff says so or the registry already had an image
   * from the same inputs, null when nothing compared it.
   */
  public Boolean imageChanged() {
    if (diff != null) {
      return !diff.lines().isEmpty();
    }
    if (image != null && image.reusedExisting()) {
      return false;
    }
    return null;
  }

  private static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new DataHubException("cannot read " + file + ": " + e.getMessage() + " — delete it and run mvn verify again");
    }
  }

  private static String text(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asText() : null;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(n -> out.add(n.asText()));
    }
    return out;
  }
}
