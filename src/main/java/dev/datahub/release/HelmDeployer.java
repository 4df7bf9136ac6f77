package dev.datahub.release;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.UpgradeCommand;
import dev.datahub.DataHubException;
import dev.datahub.Fix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The helm-java calls: {@code upgrade --install} of the configured chart, and of a generated rollback chart. */
final class HelmDeployer {

  private HelmDeployer() {}

  /**
   * @param chartDigest the chart digest the deploy was decided on: a repository archive that differs is refused
   *     (null: not checked, for the generated rollback chart)
   * @return the new revision
   */
  static int upgrade(KubeTarget target, ChartSource chart, String chartDigest, List<Path> valuesFiles,
      String description) {
    EnvironmentSpec env = target.environment();
    // Every kind of chart reaches Helm as a prepared local copy: repository, OCI and dependency archives fetched and
    // verified against their digests, a YAML-only values schema converted — the same chart plan rendered.
    PreparedChart prepared = PreparedChart.of(chart, ChartDependencies.DEFAULT_CACHE);
    Path kubeconfig = null;
    try {
      if (chartDigest != null && !chartDigest.equals(prepared.contentDigest())) {
        throw new DataHubException("chart " + chart.describe() + " changed while this goal ran ("
            + ReleaseBundle.shortHash(chartDigest) + " -> " + ReleaseBundle.shortHash(prepared.contentDigest())
            + ") — it was republished or edited; run the goal again, and pin <chart><digest>");
      }
      kubeconfig = target.writeHelmKubeconfig();
      UpgradeCommand upgrade = new Helm(prepared.directory()).upgrade();
      upgrade.install().withName(env.release()).withNamespace(env.namespace()).withKubeConfig(kubeconfig)
          .withTimeout((int) env.timeout().toSeconds()).withDescription(description);
      // Not Helm's --atomic: it implies --wait, which blocks inside native code where the pod watch cannot stop it,
      // and a JVM that exits during that wait leaves the release pending-upgrade. HubRelease waits and rolls back.
      if (env.cleanupOnFail()) {
        upgrade.cleanupOnFail();
      }
      for (Path file : valuesFiles) {
        upgrade.withValuesFile(file.toAbsolutePath());
      }
      Release release = upgrade.call();
      return Integer.parseInt(release.getRevision().trim());
    } catch (IllegalStateException e) {
      throw new DataHubException("helm upgrade of release " + env.release() + " in " + env.namespace() + " failed: "
          + oneLine(e.getMessage()) + " — fix the chart or values ({} shows them)", Fix.goal("plan"));
    } finally {
      delete(kubeconfig);
      prepared.close();
    }
  }

  /**
   * Re-applies a stored revision like {@code helm rollback}: Helm keeps each revision's rendered manifest, so a chart
   * is generated that serves that manifest verbatim ({@code .Files.Get}, no template evaluation), with the revision's
   * chart name/version and its user values. The release JSON does not hold subcharts, so re-rendering the stored chart
   * would drop them; the manifest is exact. Hooks are not re-run.
   */
  static int reapply(KubeTarget target, StoredRelease revision, String description) {
    Path dir = null;
    Path values = null;
    try {
      dir = Files.createTempDirectory("datahub-rollback-");
      Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: " + revision.chartName() + "\nversion: \""
          + revision.chartVersion() + "\"\nappVersion: \"" + revision.appVersion() + "\"\n"
          + "description: revision " + revision.revision() + " of " + revision.name() + ", re-applied by datahub\n");
      Files.createDirectories(dir.resolve("templates"));
      Files.createDirectories(dir.resolve("stored"));
      Files.writeString(dir.resolve("stored/manifest.yaml"), revision.manifest());
      Files.writeString(dir.resolve("templates/manifest.yaml"), "{{ .Files.Get \"stored/manifest.yaml\" }}\n");
      // The revision's values may hold secrets: a private temp file, deleted below, never under target/.
      values = Files.createTempFile("datahub-rollback-values-", ".yaml",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(values, Values.YAML.writeValueAsString(revision.config()));
      ChartSource chart = new ChartSource(ChartSource.Kind.LOCAL, dir.toString(), revision.chartName(),
          revision.chartVersion());
      return upgrade(target, chart, null, List.of(values), description);
    } catch (IOException e) {
      throw new DataHubException("cannot write the rollback chart: " + e.getMessage() + " — check java.io.tmpdir");
    } finally {
      deleteTree(dir);
      delete(values);
    }
  }

  static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\n\\s*", " | ");
  }

  private static void delete(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temp file left behind is harmless; it is deleted on the next reboot
      }
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(HelmDeployer::delete);
    } catch (IOException ignored) {
      // see delete()
    }
  }
}
