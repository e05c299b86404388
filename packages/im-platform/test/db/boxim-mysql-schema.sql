-- box-im's MySQL schema as described in shared/reference/boxim-backend.md §5.1 (written
-- from that description): used to prove that an existing box-im database is adopted.
create table im_user(
  id bigint not null auto_increment primary key,
  user_name varchar(255) not null,
  nick_name varchar(255) not null,
  head_image varchar(255) default '',
  head_image_thumb varchar(255) default '',
  password varchar(255) not null,
  sex tinyint(1) default 0,
  is_banned tinyint(1) default 0,
  reason varchar(255) default '',
  type smallint default 1,
  signature varchar(1024) default '',
  last_login_time datetime default null,
  created_time datetime default current_timestamp,
  unique key idx_user_name(user_name),
  key idx_nick_name(nick_name)
) engine=innodb charset=utf8mb4;
create table im_friend(
  id bigint not null auto_increment primary key,
  user_id bigint not null,
  friend_id bigint not null,
  friend_nick_name varchar(255) not null,
  friend_head_image varchar(255) default '',
  is_dnd tinyint(1),
  deleted tinyint(1),
  created_time datetime default current_timestamp,
  key idx_user_id(user_id),
  key idx_friend_id(friend_id)
) engine=innodb charset=utf8mb4;
create table im_private_message(
  id bigint not null auto_increment primary key,
  tmp_id varchar(32),
  send_id bigint not null,
  recv_id bigint not null,
  content text,
  type tinyint(1) not null,
  status tinyint(1) not null,
  send_time datetime default current_timestamp,
  key idx_send_id(send_id),
  key idx_recv_id(recv_id)
) engine=innodb charset=utf8mb4;
create table im_group(
  id bigint not null auto_increment primary key,
  name varchar(255) not null,
  owner_id bigint not null,
  head_image varchar(255) default '',
  head_image_thumb varchar(255) default '',
  notice varchar(1024) default '',
  is_banned tinyint(1) default 0,
  reason varchar(255) default '',
  dissolve tinyint(1) default 0,
  created_time datetime default current_timestamp
) engine=innodb charset=utf8mb4;
create table im_group_member(
  id bigint not null auto_increment primary key,
  group_id bigint not null,
  user_id bigint not null,
  user_nick_name varchar(255) default '',
  remark_nick_name varchar(255) default '',
  head_image varchar(255) default '',
  remark_group_name varchar(255) default '',
  is_dnd tinyint(1),
  quit tinyint(1) default 0,
  quit_time datetime default null,
  created_time datetime default current_timestamp,
  key idx_group_id(group_id),
  key idx_user_id(user_id)
) engine=innodb charset=utf8mb4;
create table im_group_message(
  id bigint not null auto_increment primary key,
  tmp_id varchar(32),
  group_id bigint not null,
  send_id bigint not null,
  send_nick_name varchar(255) default '',
  recv_ids varchar(1024) default '',
  content text,
  at_user_ids varchar(1024),
  receipt tinyint default 0,
  receipt_ok tinyint default 0,
  type tinyint(1) not null,
  status tinyint(1) default 0,
  send_time datetime default current_timestamp,
  key idx_group_id(group_id)
) engine=innodb charset=utf8mb4;
create table im_sensitive_word(
  id bigint not null auto_increment primary key,
  content varchar(64) not null,
  enabled tinyint(1) default 0,
  creator bigint,
  create_time datetime default current_timestamp
) engine=innodb charset=utf8mb4;
create table im_file_info(
  id bigint not null auto_increment primary key,
  file_name varchar(255) not null,
  file_path varchar(255) not null,
  file_size integer not null,
  file_type tinyint(1) not null,
  compressed_path varchar(255),
  cover_path varchar(255),
  upload_time datetime default current_timestamp,
  is_permanent tinyint(1) default 0,
  md5 varchar(64) not null,
  key idx_md5(md5)
) engine=innodb charset=utf8mb4;
