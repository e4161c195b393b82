package dev.solo.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Evaluates {@link OptIn}. */
final class OptInCondition implements ExecutionCondition {
    /** Every opt-in skip reason starts with this; the summary never fails CI for them. */
    static final String MARKER = "opt-in: ";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return AnnotationSupport.findAnnotation(context.getElement(), OptIn.class)
                .map(o -> {
                    String value = System.getenv(o.value());
                    if ("1".equals(value) || "true".equalsIgnoreCase(value)) {
                        return ConditionEvaluationResult.enabled(o.value() + " is set");
                    }
                    String how = o.command().isEmpty() ? "set " + o.value() + "=1" : o.command();
                    return ConditionEvaluationResult.disabled(MARKER + "runs only on request: " + how);
                })
                .orElse(ConditionEvaluationResult.enabled("not opt-in"));
    }
}
