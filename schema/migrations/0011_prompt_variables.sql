-- Prompt registry (issue 14): the variables a /v1/prompts/{id}/completions request sent, beside the bodies and on
-- the same terms: stored only when bodies are logged, scrubbed and cut like them (schema/db/logs.ts).
ALTER TABLE `request_logs` ADD `prompt_variables` text;
