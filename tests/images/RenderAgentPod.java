// The agent DaemonSet exactly as the operator renders it, for the image test (run.sh): the
// operator's own renderer (AgentDaemonSetRenderer, AgentSettings.defaults) over the policies in
// the directory given, printed as YAML. Run as a single-file program on the operator's classpath:
//   java -cp 'operator/target/quarkus-app/lib/main/*:operator/target/quarkus-app/app/*' \
//     tests/images/RenderAgentPod.java POLICY_DIR
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubefim.api.compile.FleetPlanner;
import io.kubefim.api.policy.FimPolicy;
import io.kubefim.api.policy.PolicyFiles;
import io.kubefim.operator.dependent.AgentDaemonSetRenderer;
import io.kubefim.operator.dependent.AgentSettings;
import java.nio.file.Path;
import java.util.List;

public class RenderAgentPod {
  public static void main(String[] args) throws Exception {
    var loaded = PolicyFiles.load(Path.of(args[0]));
    if (!loaded.parseProblems().isEmpty()) {
      System.err.println("RenderAgentPod: " + loaded.parseProblems());
      System.exit(64);
    }
    List<FimPolicy> policies = loaded.policies();
    var ds =
        AgentDaemonSetRenderer.desired(
            FleetPlanner.plan(policies), AgentSettings.defaults("kubefim"), policies);
    System.out.print(Serialization.asYaml(ds));
  }
}
