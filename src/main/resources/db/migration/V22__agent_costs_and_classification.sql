-- Agent analytics (issue 15): token prices per agent for the cost estimate, how an agent classifies
-- a message's category (its keyword map, or the model with the keyword map as fallback), and where
-- each task's category came from.

ALTER TABLE agents ADD COLUMN prompt_token_price double precision;      -- per 1,000 prompt tokens
ALTER TABLE agents ADD COLUMN completion_token_price double precision;  -- per 1,000 completion tokens
ALTER TABLE agents ADD COLUMN classification text NOT NULL DEFAULT 'keywords'
    CHECK (classification IN ('keywords', 'model'));

-- given (by the caller), keywords or model; null on tasks written before this column
ALTER TABLE agent_tasks ADD COLUMN category_source text;
