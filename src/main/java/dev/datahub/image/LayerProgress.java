package dev.datahub.image;

import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.event.events.TimerEvent;
import dev.datahub.log.StepLog;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Collects Jib's per-blob events and turns them into one line per layer, counting only bytes the
 * registry received. A blob is present (Jib logs "Skipping push; BLOB already exists …"), mounted
 * (Jib's "pushBlob POST digest" request, a cross-repository mount from the base's repository, was
 * answered 201, so no "pushBlob PATCH" followed on that timer) or uploaded (its bytes were PATCHed).
 */
final class LayerProgress {
  private static final String POST = "pushBlob POST ";
  private static final String PATCH = "pushBlob PATCH";

  private final Set<String> alreadyPresent = ConcurrentHashMap.newKeySet();
  private final Map<TimerEvent.Timer, String> posted = new ConcurrentHashMap<>();
  private final Set<String> postedDigests = ConcurrentHashMap.newKeySet();
  private final Set<String> sent = ConcurrentHashMap.newKeySet();

  /** Jib names every blob it does not push ("Skipping push/pull; BLOB already exists …"). */
  void onLog(LogEvent event) {
    String message = event.getMessage();
    String digest = Digest.in(message);
    if (digest != null && message.startsWith("Skipping") && message.contains("already exists")) {
      alreadyPresent.add(digest);
    }
  }

  void onTimer(TimerEvent event) {
    String description = event.getDescription();
    if (event.getState() == TimerEvent.State.START && description.startsWith(POST)) {
      String digest = Digest.in(description);
      if (digest != null) {
        posted.put(event.getTimer(), digest);
        postedDigests.add(digest);
      }
    } else if (event.getState() == TimerEvent.State.LAP && description.startsWith(PATCH)) {
      String digest = posted.get(event.getTimer());
      if (digest != null) {
        sent.add(digest);
      }
    }
  }

  /** How a blob reached the target repository. */
  enum Outcome { UPLOADED, MOUNTED, PRESENT }

  Outcome outcome(String digest) {
    if (alreadyPresent.contains(digest)) {
      return Outcome.PRESENT;
    }
    // a POST without a PATCH is a mount the registry accepted; anything else we did not see counts as sent
    return postedDigests.contains(digest) && !sent.contains(digest) ? Outcome.MOUNTED : Outcome.UPLOADED;
  }

  void report(ImagePlan plan, RegistryApi registry, String repository, String digest, StepLog log) throws IOException {
    ManifestLayers manifest = ManifestLayers.read(registry, repository, digest);
    List<ManifestLayers.Blob> layers = manifest.layers();
    int ours = plan.layers().size();
    int baseCount = layers.size() - ours;
    long uploadedBytes = 0;
    int uploadedBlobs = 0;
    int mountedBlobs = 0;
    for (int i = 0; i < layers.size(); i++) {
      ManifestLayers.Blob blob = layers.get(i);
      String name = i < baseCount ? "base layer " + (i + 1) : "layer '" + plan.layers().get(i - baseCount).name() + "'";
      String shortDigest = blob.digest().substring(0, 19);
      switch (outcome(blob.digest())) {
        case UPLOADED -> {
          uploadedBytes += blob.size();
          uploadedBlobs++;
          log.info(name + ": uploaded " + blob.size() + " bytes (" + shortDigest + ")");
        }
        case MOUNTED -> {
          mountedBlobs++;
          log.info(name + ": mounted from the base's repository, 0 bytes sent (" + shortDigest + ")");
        }
        case PRESENT -> log.info(name + ": already present (" + shortDigest + ")");
      }
    }
    boolean configUploaded = outcome(manifest.config().digest()) == Outcome.UPLOADED;
    if (configUploaded) {
      uploadedBytes += manifest.config().size();
      uploadedBlobs++;
    }
    log.info("Uploaded " + uploadedBlobs + " blob(s), " + uploadedBytes + " bytes" + (configUploaded ? " (incl. config)" : "")
        + (mountedBlobs > 0 ? "; mounted " + mountedBlobs + " blob(s) from the base's repository" : ""));
  }
}
