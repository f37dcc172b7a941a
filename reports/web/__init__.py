"""The DPO's workspace: a local web application over the findings store (`datakort serve`)."""
