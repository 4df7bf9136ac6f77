package dev.datahub.status;

import dev.datahub.output.ResultFiles;
import dev.datahub.log.Redactor;
import dev.datahub.log.StepLog;
import dev.datahub.smoke.CheckResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The pull-request summary: one Markdown page for every hub of a {@code mvn verify} — image changed or not, what it
 * changes (packages, files, base), the plan, the image test — written to {@code change-summary.md} at the reactor root
 * and appended to {@code $GITHUB_STEP_SUMMARY}. Every text passes through the redactor.
 */
public final class ChangeSummary {

  public static final String FILE = "change-summary.md";

  private final Redactor redactor;

  public ChangeSummary(Redactor redactor) {
    this.redactor = redactor;
  }

  public void write(List<HubChange> hubs, Path dir, Path githubStepSummary, StepLog log) {
    String markdown = markdown(hubs);
    ResultFiles.writeText(dir.resolve(FILE), markdown);
    if (githubStepSummary != null) {
      ResultFiles.appendSummary(githubStepSummary, markdown);
    }
    StepLog out = redactor.wrap(log);
    for (HubChange h : hubs) {
      out.info(h.hub() + ": " + imageCell(h) + " | " + diffCell(h) + " | " + planCell(h) + " | image test "
          + imageTestCell(h));
    }
    out.info("Change summary: " + dir.resolve(FILE));
  }

  public String markdown(List<HubChange> hubs) {
    StringBuilder md = new StringBuilder("## DataHub: what this change does\n\n");
    md.append("| hub | image | what changes | plan | image test |\n|---|---|---|---|---|\n");
    for (HubChange h : hubs) {
      md.append("| ").append(cell(h.hub())).append(" | ").append(cell(imageCell(h))).append(" | ")
          .append(cell(diffCell(h))).append(" | ").append(cell(planCell(h))).append(" | ")
          .append(cell(imageTestCell(h))).append(" |\n");
    }
    for (HubChange h : hubs) {
      md.append("\n### ").append(h.hub()).append("\n\n");
      if (h.image() != null) {
        md.append("- image: `").append(h.image().reference()).append("` on base ").append(h.image().baseImage())
            .append(h.image().baseDigest() == null || h.image().baseDigest().equals(h.image().baseImage()) ? ""
                : " (`" + h.image().baseDigest() + "`)").append('\n');
      }
      if (h.diff() != null) {
        md.append("- against ").append(h.diff().against()).append(": ")
            .append(h.diff().lines().isEmpty() ? "no change" : h.diff().lines().size() + " change(s)").append('\n');
        if (!h.diff().lines().isEmpty()) {
          md.append("\n```diff\n");
          h.diff().lines().forEach(l -> md.append(l).append('\n'));
          md.append("```\n");
        }
      }
      for (HubChange.Plan p : h.plans()) {
        md.append("- plan for ").append(p.environment()).append(": ").append(planLine(p)).append('\n');
        p.images().forEach(i -> md.append("  - image ").append(i).append('\n'));
        p.resourceChanges().forEach(c -> md.append("  - `").append(c).append("`\n"));
        p.valueChanges().forEach(c -> md.append("  - `").append(c).append("`\n"));
        p.notes().forEach(n -> md.append("  - note: ").append(n).append('\n'));
      }
      if (h.imageTest() != null) {
        md.append("- image test: ").append(imageTestCell(h)).append('\n');
        for (CheckResult c : h.imageTest().checks()) {
          md.append("  - ").append(c.status()).append(' ').append(c.name())
              .append(c.error() == null ? "" : " — " + c.error()).append('\n');
        }
      }
    }
    return redactor.redact(md.toString());
  }

  private static String imageCell(HubChange h) {
    if (h.image() == null) {
      return "no image built";
    }
    Boolean changed = h.imageChanged();
    String digest = StatusReport.shortDigest(h.image().digest());
    if (changed == null) {
      return "built " + digest + " (not compared)";
    }
    if (!changed) {
      return "unchanged " + digest + (h.diff() == null ? " (same inputs as an image in the registry)" : "");
    }
    return "CHANGED " + digest;
  }

  private static String diffCell(HubChange h) {
    if (h.diff() == null) {
      return "-";
    }
    if (h.diff().lines().isEmpty()) {
      return "nothing against " + h.diff().against();
    }
    List<String> shown = new ArrayList<>(h.diff().lines().subList(0, Math.min(3, h.diff().lines().size())));
    if (h.diff().lines().size() > shown.size()) {
      shown.add("… " + (h.diff().lines().size() - shown.size()) + " more");
    }
    return String.join("; ", shown) + " (against " + h.diff().against() + ")";
  }

  private static String planCell(HubChange h) {
    if (h.plans().isEmpty()) {
      return "no plan";
    }
    List<String> parts = new ArrayList<>();
    h.plans().forEach(p -> parts.add(p.environment() + ": " + planLine(p)));
    return String.join("; ", parts);
  }

  private static String planLine(HubChange.Plan p) {
    String line = "chart " + p.chart() + ", " + p.resources() + " resources";
    if (!p.comparedWithCluster()) {
      return line + ", rendered offline (not compared with the cluster)";
    }
    return line + ", against live " + (p.liveRevision() == null ? "(not installed)" : "revision " + p.liveRevision())
        + ": " + p.resourceChanges().size() + " resource(s) and " + p.valueChanges().size() + " value(s) change";
  }

  private static String imageTestCell(HubChange h) {
    if (h.imageTest() == null) {
      return "did not run";
    }
    long passed = h.imageTest().checks().stream().filter(c -> !c.failed()).count();
    return h.imageTest().status() + " (" + passed + "/" + h.imageTest().checks().size() + " checks)"
        + (h.imageTest().failure() == null ? "" : ": " + h.imageTest().failure());
  }

  private String cell(String text) {
    return redactor.redact(text).replace("|", "\\|").replace("\n", " ");
  }
}
