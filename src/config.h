#ifndef VCP_CONFIG_H
#define VCP_CONFIG_H

#include <stddef.h>

#include "domain/netaddr.h"

/*
 * Settings shared by the Kore module, vcpctl and vcpnotifyd.  One file,
 * named by $VCP_CONFIG (default var/vcp.conf), "key value" per line.
 */
struct vcp_config {
	char		db_socket[256];
	char		db_name[64];
	char		db_user[64];
	char		db_password[128];
	char		db_admin_user[64];
	char		db_admin_password[128];
	int		db_threads;
	int		db_queue_max;
	int		db_timeout;
	int		session_idle;
	int		session_max;
	int		cookie_secure;
	struct netaddr_list	trusted_proxies;
	int		calendar_refresh;
	int		registry_refresh;	/* 0: every answer looks */
	int		calendar_warn_from;	/* month * 100 + day */
	int		login_fail_max;
	int		login_fail_ip_max;
	int		login_fail_window;
	int		register_max;
	int		register_window;
	int		argon2_t;
	int		argon2_m;
	int		debug_sleep;
	int		worker_watchdog;
	char		audit_key_file[256];
	int		audit_checkpoint_interval;
	char		schema_dir[256];
	char		assets_dir[256];
	char		data_key_file[256];
	char		filing_prefix[16];
	char		public_base_url[256];
	char		sign_key_file[256];
	char		sign_cert_file[256];
	char		notify_mps_url[512];
	char		notify_cac_url[512];
	char		notify_client_cert[256];
	char		notify_client_key[256];
	char		notify_ca_file[256];
	int		notify_timeout;
	int		notify_batch;
	int		notify_lease;
	int		notify_backoff_max;
	int		notify_stale_after;
	int		tipoff_pow_difficulty;
	int		tipoff_challenge_ttl;
	int		tipoff_challenge_max;
	int		tipoff_submit_max;
	int		tipoff_submit_total_max;
	int		tipoff_submit_window;
	int		tipoff_code_fail_max;
	int		tipoff_code_fail_total_max;
	int		tipoff_code_fail_window;
	int		tipoff_session_max;
	int		tipoff_evidence_max;
	int		tipoff_evidence_size;
	int		tipoff_retention_days;
	int		tipoff_answer_days;
	int		tipoff_decide_days;
};

extern struct vcp_config	vcp_conf;

int		config_load(const char *, struct vcp_config *, char *, size_t);
const char	*config_path(void);

#endif
