# A JupyterHub on one machine whose users' notebooks land their measurements in the team's MLflow
# and Prometheus Pushgateway (docs/TEAMS.md, "JupyterHub").
#
#   MLFLOW_TRACKING_URI=http://mlflow.example.org:5000 \
#   GAISSA_PUSHGATEWAY_URL=http://pushgateway.example.org:9091 \
#   jupyterhub -f jupyterhub_config.py
#
# The single-user servers run `jupyterhub-singleuser` from the environment that has JupyterLab and,
# installed into it, the GAISSA kernel and extension (in this repository, after `npm ci && npm run
# build`: `node bin/gaissa.js install --sys-prefix --python /path/to/env/bin/python`).
# tests/integration/test_jupyterhub.py starts a hub with this file.
import os

c = get_config()  # noqa: F821 (JupyterHub defines it when it loads this file)

# The team servers' addresses go to every user's server, and from there to every kernel it starts.
# The hub itself sets JUPYTERHUB_USER and JUPYTERHUB_SERVER_NAME, which each record carries as its
# user and server. MLflow credentials (MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and
# MLFLOW_TRACKING_PASSWORD) are passed on the same way when the hub has them.
TEAM_VARIABLES = (
    "MLFLOW_TRACKING_URI",
    "GAISSA_PUSHGATEWAY_URL",
    "GAISSA_MLFLOW_EXPERIMENT",
    "MLFLOW_TRACKING_TOKEN",
    "MLFLOW_TRACKING_USERNAME",
    "MLFLOW_TRACKING_PASSWORD",
)
c.Spawner.environment = {name: os.environ[name] for name in TEAM_VARIABLES if os.environ.get(name)}

c.Spawner.default_url = "/lab"
# Several servers per user (/user/NAME/SERVER/): a record names the server it was made on.
c.JupyterHub.allow_named_servers = True

# Who logs in and how their servers run are the hub's own business: by default system accounts
# (PAM) and one process per user under that account (LocalProcessSpawner). To try the hub without
# system accounts (the test does), any name logs in and every server runs as the hub's user:
#   c.JupyterHub.authenticator_class = "dummy"
#   c.Authenticator.allow_all = True
#   c.JupyterHub.spawner_class = "simple"
