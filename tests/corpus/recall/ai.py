"""Recall cases for AI model and tooling providers.

AI keys leak most often through notebooks, .env files committed with demos, agent and MCP
configs (JSON), Streamlit secrets, docker-compose files and shell exports.
"""

from __future__ import annotations

import json

from tests.corpus.recall import RecallCase
from tests.corpus.recall.gen import ALNUM, B64URL, HEX, LOWER_ALNUM, rand

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _uuid(seed: object) -> str:
    h = rand(HEX, 32, seed)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def _notebook(source: str) -> str:
    cell = {"cell_type": "code", "execution_count": 3, "metadata": {}, "outputs": [],
            "source": source.splitlines(keepends=True)}
    return json.dumps({"cells": [cell], "metadata": {"kernelspec": {"name": "python3"}},
                       "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n"


def _openai(kind: str, seed: str, size: int = 74) -> str:
    return f"sk-{kind}-{rand(B64URL, size, (seed, 1))}T3BlbkFJ{rand(B64URL, size, (seed, 2))}"


_proj = _openai("proj", "a-proj")
_proj_short = _openai("proj", "a-proj-short", 58)
_svcacct = _openai("svcacct", "a-svcacct")
_admin = _openai("admin", "a-admin", 58)
_legacy = f"sk-{rand(ALNUM, 20, 'a-legacy1')}T3BlbkFJ{rand(ALNUM, 20, 'a-legacy2')}"
_sk_none = _openai("None", "a-none", 58)
_ant = "sk-ant-api03-" + rand(B64URL, 93, "a-ant") + "AA"
_ant_admin = "sk-ant-admin01-" + rand(B64URL, 93, "a-ant-admin") + "AA"
_ant_oat = "sk-ant-oat01-" + rand(B64URL, 93, "a-ant-oat") + "AA"
_hf = "hf_" + rand(_LETTERS, 34, "a-hf")
_hf_org = "api_org_" + rand(_LETTERS, 34, "a-hf-org")
_cohere = rand(ALNUM, 40, "a-cohere")
_mistral = rand(ALNUM, 32, "a-mistral")
_groq = "gsk_" + rand(ALNUM, 52, "a-groq")
_replicate = "r8_" + rand(ALNUM, 37, "a-replicate")
_pplx = "pplx-" + rand(ALNUM, 48, "a-pplx")
_xai = "xai-" + rand(ALNUM, 80, "a-xai")
_together = "tgp_v1_" + rand(B64URL, 43, "a-together")
_together_legacy = rand(HEX, 64, "a-together-legacy")
_fireworks = "fw_" + rand(ALNUM, 24, "a-fireworks")
_openrouter = "sk-or-v1-" + rand(HEX, 64, "a-openrouter")
_deepseek = "sk-" + rand(HEX, 32, "a-deepseek")
_langsmith = f"lsv2_pt_{rand(HEX, 32, 'a-ls1')}_{rand(HEX, 10, 'a-ls2')}"
_langfuse = "sk-lf-" + _uuid("a-langfuse")
_pinecone = f"pcsk_{rand(ALNUM, 6, 'a-pc1')}_{rand(ALNUM, 63, 'a-pc2')}"
_nvapi = "nvapi-" + rand(B64URL, 64, "a-nvapi")
_cerebras = "csk-" + rand(LOWER_ALNUM, 48, "a-cerebras")
_elevenlabs = "sk_" + rand(HEX, 48, "a-elevenlabs")
_assemblyai = rand(HEX, 32, "a-assemblyai")
_deepgram = rand(HEX, 40, "a-deepgram")
_stability = "sk-" + rand(ALNUM, 48, "a-stability")
_wandb = rand(HEX, 40, "a-wandb")

CASES = [
    RecallCase("openai-project-key-in-notebook", "openai", "openai.project-key",
               "notebooks/rag-demo.ipynb",
               _notebook(f'import openai\nclient = openai.OpenAI(api_key="{_proj}")\n'), _proj),
    RecallCase("openai-project-key-in-env", "openai", "openai.project-key", ".env",
               f"OPENAI_API_KEY={_proj_short}\n", _proj_short),
    RecallCase("openai-project-key-in-mcp-json", "openai", "openai.project-key",
               ".cursor/mcp.json",
               json.dumps({"mcpServers": {"search": {"command": "npx", "args": ["-y", "srv"],
                                                     "env": {"OPENAI_API_KEY": _proj}}}},
                          indent=2) + "\n", _proj),
    RecallCase("openai-svcacct-in-compose", "openai", "openai.service-account-key",
               "docker-compose.yml",
               f"services:\n  api:\n    environment:\n      - OPENAI_API_KEY={_svcacct}\n", _svcacct),
    RecallCase("openai-admin-key-in-shell", "openai", "openai.admin-key", "scripts/usage.sh",
               "curl https://api.openai.com/v1/organization/usage/completions "
               f'-H "Authorization: Bearer {_admin}"\n',
               _admin),
    RecallCase("openai-legacy-key-in-python", "openai", "openai.user-key", "bot/gpt.py",
               f'openai.api_key = "{_legacy}"\n', _legacy),
    RecallCase("openai-none-key-in-streamlit", "openai", "openai.user-key",
               ".streamlit/secrets.toml", f'OPENAI_API_KEY = "{_sk_none}"\n', _sk_none),
    RecallCase("anthropic-key-in-env", "anthropic", "anthropic.api-key", ".env",
               f"ANTHROPIC_API_KEY={_ant}\n", _ant),
    RecallCase("anthropic-key-in-notebook", "anthropic", "anthropic.api-key",
               "notebooks/claude.ipynb",
               _notebook(f'client = anthropic.Anthropic(api_key="{_ant}")\n'), _ant),
    RecallCase("anthropic-key-in-claude-desktop-config", "anthropic", "anthropic.api-key",
               "claude_desktop_config.json",
               json.dumps({"mcpServers": {"tool": {"env": {"ANTHROPIC_API_KEY": _ant}}}}) + "\n",
               _ant),
    RecallCase("anthropic-admin-key-in-shell", "anthropic", "anthropic.admin-key",
               "scripts/members.sh",
               f'curl https://api.anthropic.com/v1/organizations/users -H "x-api-key: {_ant_admin}"\n',
               _ant_admin),
    RecallCase("anthropic-oauth-in-workflow", "anthropic", "anthropic.oauth-token",
               ".github/workflows/claude.yml",
               "      - uses: anthropics/claude-code-action@v1\n        with:\n"
               f"          claude_code_oauth_token: {_ant_oat}\n", _ant_oat),
    RecallCase("huggingface-token-in-notebook", "huggingface", "huggingface.access-token",
               "notebooks/finetune.ipynb",
               _notebook(f'from huggingface_hub import login\nlogin(token="{_hf}")\n'), _hf),
    RecallCase("huggingface-token-in-dockerfile", "huggingface", "huggingface.access-token",
               "Dockerfile", f"FROM python:3.12\nENV HF_TOKEN={_hf}\n", _hf),
    RecallCase("huggingface-org-token-in-yaml", "huggingface", "huggingface.org-token",
               "config/hub.yaml", f"hub:\n  org_token: {_hf_org}\n", _hf_org),
    RecallCase("cohere-key-in-env", "cohere", "cohere.api-key", ".env",
               f"COHERE_API_KEY={_cohere}\n", _cohere),
    RecallCase("cohere-key-in-python", "cohere", "cohere.api-key", "app/rerank.py",
               f'co = cohere.ClientV2(api_key="{_cohere}")\n', _cohere),
    RecallCase("mistral-key-in-env", "mistral", "mistral.api-key", ".env",
               f"MISTRAL_API_KEY={_mistral}\n", _mistral),
    RecallCase("mistral-key-in-k8s", "mistral", "mistral.api-key", "k8s/llm.yaml",
               f"env:\n  - name: MISTRAL_API_KEY\n    value: {_mistral}\n", _mistral),
    RecallCase("groq-key-in-ts", "groq", "groq.api-key", "src/llm.ts",
               f"const groq = new Groq({{ apiKey: '{_groq}' }});\n", _groq),
    RecallCase("groq-key-in-env", "groq", "groq.api-key", ".env", f"GROQ_API_KEY={_groq}\n",
               _groq),
    RecallCase("replicate-token-in-shell", "replicate", "replicate.api-token",
               "scripts/generate.sh", f"export REPLICATE_API_TOKEN={_replicate}\n", _replicate),
    RecallCase("replicate-token-in-notebook", "replicate", "replicate.api-token",
               "notebooks/sdxl.ipynb",
               _notebook(f'import os\nos.environ["REPLICATE_API_TOKEN"] = "{_replicate}"\n'),
               _replicate),
    RecallCase("perplexity-key-in-env", "perplexity", "perplexity.api-key", ".env",
               f"PERPLEXITY_API_KEY={_pplx}\n", _pplx),
    RecallCase("perplexity-key-in-curl", "perplexity", "perplexity.api-key", "scripts/ask.sh",
               f'curl https://api.perplexity.ai/chat/completions -H "Authorization: Bearer {_pplx}"\n',
               _pplx),
    RecallCase("xai-key-in-env", "xai", "xai.api-key", ".env", f"XAI_API_KEY={_xai}\n", _xai),
    RecallCase("xai-key-in-python", "xai", "xai.api-key", "app/grok.py",
               f'client = OpenAI(base_url="https://api.x.ai/v1", api_key="{_xai}")\n', _xai),
    RecallCase("together-key-in-env", "together", "together.api-key", ".env",
               f"TOGETHER_API_KEY={_together}\n", _together),
    RecallCase("together-legacy-key-in-yaml", "together", "together.legacy-api-key",
               "config/llm.yaml", f"together_api_key: {_together_legacy}\n", _together_legacy),
    RecallCase("fireworks-key-in-env", "fireworks", "fireworks.api-key", ".env",
               f"FIREWORKS_API_KEY={_fireworks}\n", _fireworks),
    RecallCase("openrouter-key-in-json", "openrouter", "openrouter.api-key",
               ".continue/config.json",
               json.dumps({"models": [{"provider": "openrouter", "apiKey": _openrouter}]}) + "\n",
               _openrouter),
    RecallCase("openrouter-key-in-env", "openrouter", "openrouter.api-key", ".env",
               f"OPENROUTER_API_KEY={_openrouter}\n", _openrouter),
    RecallCase("deepseek-key-in-env", "deepseek", "deepseek.api-key", ".env",
               f"DEEPSEEK_API_KEY={_deepseek}\n", _deepseek),
    RecallCase("langsmith-key-in-env", "langsmith", "langsmith.api-key", ".env",
               f"LANGSMITH_TRACING=true\nLANGSMITH_API_KEY={_langsmith}\n", _langsmith),
    RecallCase("langfuse-key-in-env", "langfuse", "langfuse.secret-key", ".env",
               f"LANGFUSE_SECRET_KEY={_langfuse}\n", _langfuse),
    RecallCase("pinecone-key-in-python", "pinecone", "pinecone.api-key", "app/vectors.py",
               f'pc = Pinecone(api_key="{_pinecone}")\n', _pinecone),
    RecallCase("nvidia-key-in-env", "nvidia", "nvidia.api-key", ".env",
               f"NVIDIA_API_KEY={_nvapi}\n", _nvapi),
    RecallCase("cerebras-key-in-env", "cerebras", "cerebras.api-key", ".env",
               f"CEREBRAS_API_KEY={_cerebras}\n", _cerebras),
    RecallCase("elevenlabs-key-in-curl", "elevenlabs", "elevenlabs.api-key", "scripts/tts.sh",
               f'curl https://api.elevenlabs.io/v1/voices -H "xi-api-key: {_elevenlabs}"\n',
               _elevenlabs),
    RecallCase("assemblyai-key-in-env", "assemblyai", "assemblyai.api-key", ".env",
               f"ASSEMBLYAI_API_KEY={_assemblyai}\n", _assemblyai),
    RecallCase("deepgram-key-in-env", "deepgram", "deepgram.api-key", ".env",
               f"DEEPGRAM_API_KEY={_deepgram}\n", _deepgram),
    RecallCase("stability-key-in-env", "stability", "stability.api-key", ".env",
               f"STABILITY_API_KEY={_stability}\n", _stability),
    RecallCase("wandb-key-in-netrc", "wandb", "wandb.api-key", ".netrc",
               f"machine api.wandb.ai\n  login user\n  password {_wandb}\n", _wandb),
    RecallCase("wandb-key-in-notebook", "wandb", "wandb.api-key", "notebooks/train.ipynb",
               _notebook(f'import wandb\nwandb.login(key="{_wandb}")\n'), _wandb),
]
