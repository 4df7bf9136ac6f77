package dev.datahub.python;

import dev.datahub.DataHubException;
import dev.datahub.python.LockFile.LockedRequirement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Picks the wheel to install for a lock line: among the files of the locked version, the one whose
 * tags rank highest for the target (PEP 425 order, then the higher build number, then the name) and
 * whose hash the lock allows. Sources are asked in order (find-links, then the index); the first
 * that has an allowed compatible wheel wins. A rebuild with the same lock and target uses the
 * remembered choice from the cache without listing anything.
 */
final class WheelSelector {

  /** The chosen wheel in the cache, and whether it came from the cache without any listing. */
  record Selection(Path wheel, String sha256, boolean fromCache) {}

  private final List<PackageSource> sources;
  private final WheelCache cache;
  private final TargetEnvironment env;
  private String tagsText;

  WheelSelector(List<PackageSource> sources, WheelCache cache, TargetEnvironment env) {
    this.sources = sources;
    this.cache = cache;
    this.env = env;
  }

  Selection select(LockedRequirement req) {
    String name = req.normalizedName();
    Pep440Version version = req.pep440();
    String pin = req.name() + "==" + req.version();
    String key = selectionKey(req);
    Optional<Path> remembered = cache.selected(key);
    if (remembered.isPresent()) {
      return new Selection(remembered.get(), remembered.get().getParent().getFileName().toString(), true);
    }
    List<String> otherVersions = new ArrayList<>();
    List<String> incompatible = new ArrayList<>();
    List<String> sdists = new ArrayList<>();
    String mismatch = null;
    for (PackageSource source : sources) {
      List<IndexFile> files = source.files(name);
      List<IndexFile> compatible = new ArrayList<>();
      for (IndexFile f : files) {
        Optional<WheelFileName> w = WheelFileName.parse(f.fileName());
        if (w.isPresent() && w.get().normalizedName().equals(name)) {
          Optional<Pep440Version> v = Pep440Version.tryParse(w.get().version());
          if (v.isEmpty() || !v.get().equals(version)) {
            v.ifPresent(x -> otherVersions.add(x.toString()));
            continue;
          }
          if (env.rank(w.get()) < 0) {
            incompatible.add(w.get().tagText());
          } else {
            compatible.add(f);
          }
        } else if (f.isSdistOf(name, version)) {
          sdists.add(f.fileName());
        }
      }
      compatible.sort(Comparator.<IndexFile>comparingInt(f -> env.rank(WheelFileName.parse(f.fileName()).orElseThrow()))
          .thenComparing(f -> -WheelFileName.parse(f.fileName()).orElseThrow().buildNumber())
          .thenComparing(IndexFile::fileName));
      for (IndexFile f : compatible) {
        String sha = f.sha256() != null ? f.sha256() : f.localFile() != null ? hash(f.localFile()) : null;
        if (sha != null && !req.hashes().contains(sha)) {
          if (mismatch == null) {
            mismatch = f.fileName() + " from " + f.source() + " has sha256 " + sha;
          }
          continue;
        }
        IndexFile withHash = new IndexFile(f.fileName(), f.url(), f.localFile(), sha, f.source());
        Path wheel = cache.fetch(withHash, req.hashes(), pin);
        String actual = wheel.getParent().getFileName().toString();
        cache.rememberSelection(key, actual);
        return new Selection(wheel, actual, false);
      }
    }
    String where = String.join(" and ", sources.stream().map(PackageSource::describe).toList());
    if (mismatch != null) {
      throw new DataHubException("hash mismatch for " + pin + ": " + mismatch + " but the lock allows "
          + String.join(", ", req.hashes()) + " — the file changed or the lock is stale: regenerate the lock with "
          + "--generate-hashes (nothing was installed)");
    }
    if (!incompatible.isEmpty()) {
      throw new DataHubException("no wheel of " + pin + " fits the image's Python (" + env.supportedTags().get(0)
          + " … py3-none-any): " + where + " has only " + String.join(", ", new TreeSet<>(incompatible))
          + " — pick a version with a compatible wheel, or set <pythonVersion>/<abi>/<platforms> to match the image");
    }
    if (!sdists.isEmpty()) {
      throw new DataHubException(pin + " has only a source distribution (" + String.join(", ", sdists) + ") in " + where
          + "; datahub installs wheels and never compiles — build a wheel ('pip wheel --no-deps " + pin
          + "') into <findLinks> and lock its hash, or pick a version that ships wheels");
    }
    String others = otherVersions.isEmpty() ? "no files at all"
        : "versions " + String.join(", ", new TreeSet<>(otherVersions).descendingSet().stream().limit(8).toList());
    throw new DataHubException(pin + " is not in " + where + " (found " + others + ") — fix the pin in the lock, "
        + "or check <python><index>/<findLinks>");
  }

  /**
   * Same lock line (version + allowed hashes) and same target tags → same choice. The source is not
   * part of the key: a locked hash names immutable bytes wherever they come from, so a rebuild
   * against a mirror, or with the index down, reuses the wheel.
   */
  private String selectionKey(LockedRequirement req) {
    MessageDigest sha = WheelCache.sha256();
    StringBuilder s = new StringBuilder(req.normalizedName()).append("==").append(req.pep440());
    new TreeSet<>(req.hashes()).forEach(h -> s.append('|').append(h));
    s.append(tagsText());
    return HexFormat.of().formatHex(sha.digest(s.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /** The target's tags as the selection key lists them: hundreds of tags, the same for every lock line. */
  private String tagsText() {
    if (tagsText == null) {
      StringBuilder s = new StringBuilder();
      env.supportedTags().forEach(t -> s.append(';').append(t));
      tagsText = s.toString();
    }
    return tagsText;
  }

  static String hash(Path file) {
    MessageDigest sha = WheelCache.sha256();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new DataHubException("cannot read " + file + ": " + e.getMessage());
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
