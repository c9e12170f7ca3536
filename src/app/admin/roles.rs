//! What your role in a group lets you do, checked locally before any call so a refusal comes
//! with its reason at once (NapCat would refuse too, but later and in less helpful words).

use crate::onebot::Role;

use super::super::contacts::MembersState;
use super::super::effect::Effect;
use super::super::member_list::ensure_members;
use super::super::state::State;

/// Something done to a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberOp {
    Mute,
    Unmute,
    Kick,
    Card,
    Title,
    Admin,
    Recall,
}

impl MemberOp {
    /// What the action does to `whom`, for refusals: "不能" + `phrase(群主)`.
    fn phrase(self, whom: &str) -> String {
        match self {
            MemberOp::Mute => format!("禁言{whom}"),
            MemberOp::Unmute => format!("解除{whom}的禁言"),
            MemberOp::Kick => format!("移出{whom}"),
            MemberOp::Card => format!("修改{whom}的群名片"),
            MemberOp::Title => format!("给{whom}设置头衔"),
            MemberOp::Admin => format!("改变{whom}的管理员身份"),
            MemberOp::Recall => format!("撤回{whom}的消息"),
        }
    }
}

/// The account's role in `group`, from the loaded member list. When the list is not loaded yet
/// it is requested and the action is refused with an explanation (the user tries again).
pub fn my_role(state: &mut State, group: i64, fx: &mut Vec<Effect>) -> Result<Role, String> {
    members_loaded(state, group, fx)?;
    Ok(state
        .contacts
        .member(group, state.self_id)
        .map(|m| m.role)
        .unwrap_or(Role::Member))
}

/// Makes sure the group's member list is loaded (requesting it if not).
pub fn members_loaded(state: &mut State, group: i64, fx: &mut Vec<Effect>) -> Result<(), String> {
    let loaded = state
        .contacts
        .members
        .get(&group)
        .is_some_and(|m| m.state == MembersState::Loaded);
    if loaded {
        return Ok(());
    }
    ensure_members(state, group, fx);
    Err("正在加载群成员列表，请稍后再试".into())
}

/// Refuses unless the account is the owner or an admin; `what` completes "不能…".
pub fn require_admin(me: Role, what: &str) -> Result<(), String> {
    if me.is_admin() {
        Ok(())
    } else {
        Err(format!("你不是群主或管理员，不能{what}"))
    }
}

/// Whether an account with role `me` may do `op` to `target` (whose role is `theirs`).
pub fn may(me: Role, self_id: i64, op: MemberOp, target: i64, theirs: Role) -> Result<(), String> {
    let is_self = target == self_id;
    match op {
        MemberOp::Title => {
            if me != Role::Owner {
                return Err("只有群主可以设置专属头衔".into());
            }
            return Ok(());
        }
        MemberOp::Admin => {
            if me != Role::Owner {
                return Err("只有群主可以设置或取消管理员".into());
            }
            if is_self {
                return Err(format!("不能{}", op.phrase("自己")));
            }
            return Ok(());
        }
        // Everyone may change their own card and recall their own messages.
        MemberOp::Card | MemberOp::Recall if is_self => return Ok(()),
        _ => {}
    }
    if is_self {
        return Err(format!("不能{}", op.phrase("自己")));
    }
    if !me.is_admin() {
        return Err(format!("你不是群主或管理员，不能{}", op.phrase("别人")));
    }
    match (me, theirs) {
        (_, Role::Owner) => Err(format!("不能{}", op.phrase("群主"))),
        (Role::Admin, Role::Admin) => Err(format!("管理员不能{}", op.phrase("其他管理员"))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: i64 = 1;
    const THEM: i64 = 2;

    #[test]
    fn members_may_do_nothing_to_others_but_their_own_card() {
        for op in [
            MemberOp::Mute,
            MemberOp::Kick,
            MemberOp::Card,
            MemberOp::Recall,
        ] {
            let e = may(Role::Member, ME, op, THEM, Role::Member).unwrap_err();
            assert!(e.contains("不是群主或管理员"), "{op:?}: {e}");
        }
        assert!(may(Role::Member, ME, MemberOp::Card, ME, Role::Member).is_ok());
        assert!(may(Role::Member, ME, MemberOp::Recall, ME, Role::Member).is_ok());
    }

    #[test]
    fn admins_act_on_members_only_and_owners_on_everyone_but_themselves() {
        assert!(may(Role::Admin, ME, MemberOp::Mute, THEM, Role::Member).is_ok());
        assert_eq!(
            may(Role::Admin, ME, MemberOp::Kick, THEM, Role::Admin),
            Err("管理员不能移出其他管理员".into())
        );
        assert_eq!(
            may(Role::Admin, ME, MemberOp::Mute, THEM, Role::Owner),
            Err("不能禁言群主".into())
        );
        assert!(may(Role::Owner, ME, MemberOp::Kick, THEM, Role::Admin).is_ok());
        assert_eq!(
            may(Role::Owner, ME, MemberOp::Mute, ME, Role::Owner),
            Err("不能禁言自己".into())
        );
    }

    #[test]
    fn titles_and_admins_need_the_owner() {
        assert!(
            may(Role::Admin, ME, MemberOp::Title, THEM, Role::Member)
                .unwrap_err()
                .contains("只有群主")
        );
        assert!(may(Role::Owner, ME, MemberOp::Title, ME, Role::Owner).is_ok());
        assert!(
            may(Role::Admin, ME, MemberOp::Admin, THEM, Role::Member)
                .unwrap_err()
                .contains("只有群主")
        );
        assert_eq!(
            may(Role::Owner, ME, MemberOp::Admin, ME, Role::Owner),
            Err("不能改变自己的管理员身份".into())
        );
        assert_eq!(
            may(Role::Admin, ME, MemberOp::Card, THEM, Role::Admin),
            Err("管理员不能修改其他管理员的群名片".into())
        );
        assert_eq!(
            may(Role::Admin, ME, MemberOp::Recall, THEM, Role::Owner),
            Err("不能撤回群主的消息".into())
        );
    }
}
