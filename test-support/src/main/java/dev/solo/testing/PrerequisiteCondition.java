package dev.solo.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Evaluates {@link Requires}: disabled with the reasons, or a failure under {@code CI=true}. */
final class PrerequisiteCondition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<Requires> requires = AnnotationSupport.findAnnotation(context.getElement(), Requires.class);
        if (requires.isEmpty()) return ConditionEvaluationResult.enabled("no prerequisites");
        List<String> reasons = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Prerequisite p : requires.get().value()) {
            if (p.isMet()) continue;
            if (p.installedByCi() && TestEnvironment.isCi()) failures.add(p.failureMessage());
            else reasons.add(p.skipReason());
        }
        if (!failures.isEmpty()) throw new MissingPrerequisite(String.join("\n", failures));
        if (reasons.isEmpty()) return ConditionEvaluationResult.enabled("every prerequisite is there");
        return ConditionEvaluationResult.disabled(String.join("; ", reasons));
    }
}
