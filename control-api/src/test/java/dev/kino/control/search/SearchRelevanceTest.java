package dev.kino.control.search;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the relevance set's figures at their targets: success@3 ≥ 0.95 overall and ≥ 0.85 in every class. */
class SearchRelevanceTest {
    @Test
    void relevanceSetMeetsItsTargets() {
        List<SearchRelevance.Outcome> outcomes = SearchRelevance.run();
        String report = SearchRelevance.report(outcomes);
        System.out.print(report);
        assertTrue(outcomes.size() >= 150, "at least 150 queries: " + outcomes.size());
        Map<String, SearchRelevance.Rates> rates = SearchRelevance.rates(outcomes);
        assertTrue(rates.size() >= 9, "eight classes and overall: " + rates.keySet());
        assertTrue(rates.get("overall").at3() >= 0.95, report);
        rates.forEach((k, r) -> assertTrue(r.at3() >= 0.85, k + " below 0.85:\n" + report));
    }
}
