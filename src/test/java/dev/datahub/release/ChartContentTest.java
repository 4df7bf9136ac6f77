package dev.datahub.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import dev.datahub.fixtures.ReleaseFixture;
import dev.datahub.log.Redactor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart content digest of a local chart covers what Helm loads, through symbolic links too. */
class ChartContentTest {

  @TempDir Path tmp;

  private Path chartWithLinkedSubchart() throws IOException {
    Path chart = tmp.resolve("hub-chart");
    try (var files = Files.walk(ReleaseFixture.CHART)) {
      for (Path f : files.toList()) {
        Path dest = chart.resolve(ReleaseFixture.CHART.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(f, dest);
        }
      }
    }
    Path shared = Files.createDirectories(tmp.resolve("shared/extras"));
    Files.writeString(shared.resolve("Chart.yaml"), "apiVersion: v2\nname: extras\nversion: 0.1.0\n");
    Files.createDirectories(shared.resolve("templates"));
    Files.writeString(shared.resolve("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extras\ndata:\n  greeting: {{ .Values.greeting | quote }}\n");
    Files.writeString(shared.resolve("values.yaml"), "greeting: tested\n");
    Files.createDirectories(chart.resolve("charts"));
    Files.createSymbolicLink(chart.resolve("charts/extras"), shared);
    return chart;
  }

  /** Why 3: a subchart that is a symbolic link was hashed without following the link (Helm follows it). */
  @Test
  void editingASymlinkedSubchartChangesTheDigest() throws Exception {
    Path chart = chartWithLinkedSubchart();
    String before = ChartSource.local(chart).digest();
    Files.writeString(tmp.resolve("shared/extras/values.yaml"), "greeting: never-tested\n");
    String after = ChartSource.local(chart).digest();
    assertNotEquals(before, after, "Helm renders the edited subchart, so the digest must change");
    // and Helm does load the subchart through the link, in the copy the plugin prepares for it
    ReleaseFixture fx = new ReleaseFixture(tmp.resolve("fx"));
    try {
      Redactor redactor = new Redactor();
      ComposedValues values = new ValuesComposer(redactor).compose(List.of(), fx.staging(), ReleaseFixture.image('a'),
          tmp.resolve("work"));
      ReleasePlan plan = new ReleasePlanner(redactor).plan(fx.staging(), ChartSource.local(chart), values,
          ReleaseFixture.image('a'), null);
      assertTrue(plan.manifest().contains("never-tested"), plan.manifest());
    } finally {
      fx.close();
    }
  }

  @Test
  void sameFilesGiveTheSameDigestAndALinkLoopIsExplained() throws Exception {
    Path chart = chartWithLinkedSubchart();
    assertEquals(ChartSource.local(chart).digest(), ChartSource.local(chart).digest());
    Files.createSymbolicLink(tmp.resolve("shared/extras/templates/loop"), tmp.resolve("shared/extras"));
    DataHubException e = assertThrows(DataHubException.class, () -> ChartSource.local(chart).digest());
    assertTrue(e.getMessage().contains("symbolic link loop"), e.getMessage());
  }
}
